package io.goncloud.core.compute;

import io.goncloud.api.cluster.TaskSender;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Hands tasks to the transport after the transaction that decided them has committed. A task that cannot be
 * sent (no transport, broker down) is not lost: the instance stays in its transitional state and the
 * controller's sweep sends it again.
 */
@Component(service = TaskDispatcher.class)
public class TaskDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(TaskDispatcher.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaskSender sender;

    public TaskDispatcher() {
    }

    /** For tests and for wiring without OSGi. */
    public TaskDispatcher(TaskSender sender) {
        this.sender = sender;
    }

    void send(List<InstanceTasks.Addressed> tasks) {
        TaskSender current = sender;
        for (InstanceTasks.Addressed t : tasks) {
            if (current == null) {
                LOG.debug("No task transport yet; task {} for {} will be resent", t.task().action(), t.task().instanceId());
                continue;
            }
            try {
                current.send(t.hostId(), t.task());
            } catch (RuntimeException e) {
                LOG.warn("Could not send {} of instance {} to {} (will resend): {}", t.task().action(),
                        t.task().instanceId(), t.hostId(), e.getMessage());
            }
        }
    }

    void send(InstanceTasks.Addressed task) {
        if (task != null) {
            send(List.of(task));
        }
    }
}
