package io.goncloud.messaging.internal;

import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.service.StateChangeListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Dictionary;
import java.util.Hashtable;

/**
 * Registers {@link HostStateFeed} as this host's {@link NetworkStateService} when {@code from.broker=true} in
 * {@code io.goncloud.statefeed}: only a worker without the database (no gcp-core) enables it. Off by default, so in
 * the all-in-one and on a controller the database's own service stays the only one. The host id is
 * {@code host.id} of {@code io.goncloud.agent} (the agent's), unless {@code io.goncloud.statefeed} sets one.
 */
/* The later PID wins on a shared key: io.goncloud.statefeed may override the agent's host.id. */
@Component(immediate = true,
        configurationPid = {MessagingConfig.PID, "io.goncloud.agent", HostStateFeedComponent.PID})
public class HostStateFeedComponent {

    static final String PID = "io.goncloud.statefeed";
    private static final Logger LOG = LoggerFactory.getLogger(HostStateFeedComponent.class);

    @ObjectClassDefinition(name = "GCP network state from the broker (workers without a database)")
    public @interface Config {
        @AttributeDefinition(description = "Take this host's desired network state from the controller over the "
                + "broker (a worker without gcp-core); never on a host that has the database")
        boolean from_broker() default false;

        @AttributeDefinition(description = "This host's id, as its agents use it; empty: the host name")
        String host_id() default "";
    }

    private final HostStateFeed feed;
    private final ServiceRegistration<NetworkStateService> registration;

    @Activate
    public HostStateFeedComponent(BundleContext context, MessagingConfig messaging, Config config) throws Exception {
        if (!config.from_broker()) {
            feed = null;
            registration = null;
            return;
        }
        String hostId = hostId(config.host_id());
        feed = new HostStateFeed(BrokerClient.of(messaging), hostId, Redelivery.of(messaging),
                messaging.reconnect_max_delay_ms());
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("gcp.host.id", hostId);
        properties.put(Constants.SERVICE_DESCRIPTION, "desired network state of " + hostId + " from the broker");
        registration = context.registerService(NetworkStateService.class, feed, properties);
        LOG.info("The desired network state of host {} comes from the controller over the broker", hostId);
    }

    static String hostId(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStateChangeListener(StateChangeListener listener) {
        if (feed != null) { // DS binds references after the constructor; null when disabled
            feed.addListener(listener);
        }
    }

    void removeStateChangeListener(StateChangeListener listener) {
        if (feed != null) { // DS binds references after the constructor; null when disabled
            feed.removeListener(listener);
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        if (feed != null) {
            feed.close();
        }
    }
}
