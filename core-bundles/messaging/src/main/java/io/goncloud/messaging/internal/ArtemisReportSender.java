package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.ReportSender;
import io.goncloud.api.cluster.WorkerReport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import java.util.Map;
import java.util.Objects;

/**
 * {@link ReportSender} over Artemis (configuration PID {@code io.goncloud.messaging}): each report goes as JSON to
 * the controller's durable queue {@code gcp.reports}.
 */
@Component(service = ReportSender.class, configurationPid = MessagingConfig.PID)
public class ArtemisReportSender implements ReportSender {

    private final DurableProducer producer;

    @Activate
    public ArtemisReportSender(MessagingConfig config) throws Exception {
        this(BrokerClient.of(config));
    }

    ArtemisReportSender(BrokerClient client) throws Exception {
        this.producer = new DurableProducer(client);
    }

    @Override
    public void send(WorkerReport report) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(report.hostId(), "report.hostId");
        producer.send(Queues.REPORTS, ProtocolJson.write(report), null,
                Map.of(Queues.PROP_HOST_ID, report.hostId()));
    }

    @Deactivate
    void deactivate() {
        producer.close();
    }
}
