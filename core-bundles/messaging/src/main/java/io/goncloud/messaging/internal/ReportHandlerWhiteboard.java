package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.ReportHandler;
import io.goncloud.api.cluster.WorkerReport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Controller side (configuration PID {@code io.goncloud.messaging}): every {@link ReportHandler} service consumes
 * {@code gcp.reports} on one thread while it is registered. Several handlers compete: each report reaches one.
 */
@Component(configurationPid = MessagingConfig.PID)
public class ReportHandlerWhiteboard {

    private final HandlerConsumers<ReportHandler> consumers;

    @Activate
    public ReportHandlerWhiteboard(MessagingConfig config) {
        BrokerClient client = BrokerClient.of(config);
        Redelivery redelivery = Redelivery.of(config);
        long reconnectMaxDelayMs = config.reconnect_max_delay_ms();
        this.consumers = new HandlerConsumers<>(handler -> new QueueConsumer<>(client, Queues.REPORTS, 1,
                redelivery, reconnectMaxDelayMs, json -> ProtocolJson.read(json, WorkerReport.class),
                handler::handle, "report handler " + handler.getClass().getName()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addReportHandler(ReportHandler handler) {
        consumers.add(handler);
    }

    void removeReportHandler(ReportHandler handler) {
        consumers.remove(handler);
    }

    @Deactivate
    void deactivate() {
        consumers.close();
    }
}
