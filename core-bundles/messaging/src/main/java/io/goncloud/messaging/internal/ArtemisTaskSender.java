package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.TaskSender;
import io.goncloud.api.cluster.WorkerTask;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import java.util.Map;
import java.util.Objects;

/**
 * {@link TaskSender} over Artemis (configuration PID {@code io.goncloud.messaging}): each task goes as JSON to the
 * worker's durable queue {@code gcp.tasks.<hostId>}, grouped by instance id so that one instance's tasks are
 * handled in order.
 */
@Component(service = TaskSender.class, configurationPid = MessagingConfig.PID)
public class ArtemisTaskSender implements TaskSender {

    private final DurableProducer producer;

    @Activate
    public ArtemisTaskSender(MessagingConfig config) throws Exception {
        this(BrokerClient.of(config));
    }

    ArtemisTaskSender(BrokerClient client) throws Exception {
        this.producer = new DurableProducer(client);
    }

    @Override
    public void send(String hostId, WorkerTask task) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(task.taskId(), "task.taskId");
        Objects.requireNonNull(task.instanceId(), "task.instanceId");
        producer.send(Queues.tasks(hostId), ProtocolJson.write(task), task.instanceId(), Map.of(
                Queues.PROP_TASK_ID, task.taskId(),
                Queues.PROP_INSTANCE_ID, task.instanceId(),
                Queues.PROP_HOST_ID, hostId.trim()));
    }

    @Deactivate
    void deactivate() {
        producer.close();
    }
}
