package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.TaskHandler;
import io.goncloud.api.cluster.WorkerTask;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Worker side (configuration PID {@code io.goncloud.messaging}): every {@link TaskHandler} service consumes its
 * host's queue {@code gcp.tasks.<hostId>} on {@code task.threads} threads, from when it is registered until it
 * goes away. Tasks of one instance run one at a time and in order; see {@link QueueConsumer}.
 */
@Component(configurationPid = MessagingConfig.PID)
public class TaskHandlerWhiteboard {

    private final HandlerConsumers<TaskHandler> consumers;

    @Activate
    public TaskHandlerWhiteboard(MessagingConfig config) {
        BrokerClient client = BrokerClient.of(config);
        Redelivery redelivery = Redelivery.of(config);
        int threads = config.task_threads();
        long reconnectMaxDelayMs = config.reconnect_max_delay_ms();
        this.consumers = new HandlerConsumers<>(handler -> new QueueConsumer<>(client,
                Queues.tasks(handler.hostId()), threads, redelivery, reconnectMaxDelayMs,
                json -> ProtocolJson.read(json, WorkerTask.class), handler::handle, name(handler)));
    }

    private static String name(TaskHandler handler) {
        return "task handler " + handler.getClass().getName() + " of host " + handler.hostId();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTaskHandler(TaskHandler handler) {
        consumers.add(handler);
    }

    void removeTaskHandler(TaskHandler handler) {
        consumers.remove(handler);
    }

    @Deactivate
    void deactivate() {
        consumers.close();
    }
}
