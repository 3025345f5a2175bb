package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.HostState;
import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.service.StateChangeListener;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Worker side: this host's desired network state as the controller last published it on {@code gcp.state.<hostId>},
 * for a worker with no database. The queue holds only the newest snapshot and keeps it after delivery, so the feed
 * gets it at once whenever it (re)connects: after a restart of the worker, the broker or the controller, it converges
 * to the newest state. Listeners (the network agent) are told when a snapshot of a new version arrives; one with the
 * version already held changes nothing.
 *
 * <p>Until the first snapshot arrives the state is unknown, and asking for it throws: an agent must not take an empty
 * state for the truth and remove everything on the host.
 */
final class HostStateFeed implements NetworkStateService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostStateFeed.class);

    private final String hostId;
    private final List<StateChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile HostState newest;
    private final QueueConsumer<HostState> consumer;

    HostStateFeed(BrokerClient client, String hostId, Redelivery redelivery, long reconnectMaxDelayMs)
            throws Exception {
        this.hostId = hostId.strip();
        this.consumer = new QueueConsumer<>(client, Queues.state(this.hostId), 1, redelivery, reconnectMaxDelayMs,
                json -> ProtocolJson.read(json, HostState.class), this::accept,
                "network state feed of host " + this.hostId);
    }

    private void accept(HostState state) {
        if (!hostId.equals(state.hostId())) {
            LOG.error("A snapshot for host {} arrived on the state queue of host {}: ignored", state.hostId(), hostId);
            return;
        }
        HostState held = newest;
        if (held != null && held.version().equals(state.version())) {
            return;
        }
        newest = state;
        LOG.info("Desired network state {} of host {} received ({} VPC(s), {} port policy(ies), computed at {})",
                state.version().substring(0, 12), hostId, state.network().vpcs().size(),
                state.firewall().ports().size(), state.computedAt());
        for (StateChangeListener listener : listeners) {
            try {
                listener.desiredStateChanged();
            } catch (RuntimeException e) {
                LOG.warn("A state change listener failed", e);
            }
        }
    }

    void addListener(StateChangeListener listener) {
        listeners.add(listener);
    }

    void removeListener(StateChangeListener listener) {
        listeners.remove(listener);
    }

    /** The version of the snapshot held, or null before the first. */
    String version() {
        HostState held = newest;
        return held == null ? null : held.version();
    }

    @Override
    public HostNetwork desiredNetwork(String hostId) {
        return held(hostId).network();
    }

    @Override
    public FirewallPolicy desiredFirewall(String hostId) {
        return held(hostId).firewall();
    }

    private HostState held(String asked) {
        if (asked == null || !hostId.equals(asked.strip())) {
            throw new IllegalArgumentException("this worker receives the desired state of host " + hostId + " only, not "
                    + asked + " (host.id of io.goncloud.agent and io.goncloud.statefeed must agree)");
        }
        HostState held = newest;
        if (held == null) {
            throw new IllegalStateException("no desired network state of host " + hostId + " received from the "
                    + "controller yet (queue " + Queues.state(hostId) + ")");
        }
        return held;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
