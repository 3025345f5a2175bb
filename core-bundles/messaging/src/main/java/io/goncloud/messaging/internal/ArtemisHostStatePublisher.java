package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.HostState;
import io.goncloud.api.cluster.HostStatePublisher;
import org.apache.activemq.artemis.api.core.Message;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import java.util.Map;
import java.util.Objects;

/**
 * {@link HostStatePublisher} over Artemis (configuration PID {@code io.goncloud.messaging}): each snapshot goes as JSON
 * to the host's last-value queue {@code gcp.state.<hostId>}, where it replaces the previous one (see
 * {@link Queues#ensure}). Persistent, so the newest snapshot survives a broker restart.
 */
@Component(service = HostStatePublisher.class, configurationPid = MessagingConfig.PID)
public class ArtemisHostStatePublisher implements HostStatePublisher {

    static final String PROP_STATE_VERSION = "gcp_state_version";

    private final DurableProducer producer;

    @Activate
    public ArtemisHostStatePublisher(MessagingConfig config) throws Exception {
        this(BrokerClient.of(config));
    }

    ArtemisHostStatePublisher(BrokerClient client) throws Exception {
        this.producer = new DurableProducer(client);
    }

    @Override
    public void publish(HostState state) {
        Objects.requireNonNull(state, "state");
        producer.send(Queues.state(state.hostId()), ProtocolJson.write(state), null, Map.of(
                Message.HDR_LAST_VALUE_NAME.toString(), Queues.STATE_LAST_VALUE,
                Queues.PROP_HOST_ID, state.hostId().trim(),
                PROP_STATE_VERSION, state.version()));
    }

    @Deactivate
    void deactivate() {
        producer.close();
    }
}
