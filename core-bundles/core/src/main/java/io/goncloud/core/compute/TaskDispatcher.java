package io.goncloud.core.compute;

import io.goncloud.api.cluster.TaskSender;
import io.goncloud.api.cluster.WorkerReport;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands tasks to the transport after the transaction that decided them has committed. A task that cannot be
 * sent (no transport, broker down) is not lost: the instance stays in its transitional state and the
 * controller's sweep sends it again.
 *
 * <p>It also carries request/reply tasks ({@link io.goncloud.api.cluster.WorkerTask.Action#CONSOLE_OUTPUT}): the
 * caller waits, a few seconds at most, for the report that answers the task, which {@link ClusterController} hands
 * to {@link #answered}. Pending requests live in memory only: with several controllers competing for reports, an
 * answer that reaches another controller is lost and the request times out.
 */
@Component(service = TaskDispatcher.class)
public class TaskDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(TaskDispatcher.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaskSender sender;

    /** Requests waiting for their answer, by task id. */
    private final Map<String, CompletableFuture<WorkerReport.InstanceReport>> pending = new ConcurrentHashMap<>();

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

    /**
     * Sends a request task and waits for the report that answers it (same task id).
     *
     * @return the answer, or {@code null} when none came within {@code timeout}
     * @throws IllegalStateException when the task could not be sent (no transport, broker down)
     */
    WorkerReport.InstanceReport request(InstanceTasks.Addressed task, Duration timeout) {
        TaskSender current = sender;
        if (current == null) {
            throw new IllegalStateException("no task transport");
        }
        String taskId = task.task().taskId();
        CompletableFuture<WorkerReport.InstanceReport> answer = new CompletableFuture<>();
        pending.put(taskId, answer);
        try {
            current.send(task.hostId(), task.task());
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(taskId);
        }
    }

    /**
     * Completes the request this report answers.
     *
     * @return whether a request was waiting for it (a late or repeated answer finds none)
     */
    boolean answered(WorkerReport.InstanceReport report) {
        CompletableFuture<WorkerReport.InstanceReport> waiting = report.taskId() == null ? null
                : pending.remove(report.taskId());
        return waiting != null && waiting.complete(report);
    }
}
