package io.goncloud.agent;

import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.spi.network.FirewallDriver;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.NetworkDriver;

import java.time.Instant;

/**
 * One pass of the network agent: reads the host's whole desired state and hands it to the drivers,
 * which converge the kernel to it. Level-triggered: the pass does not care what changed, so it also
 * repairs drift and removes orphans. A pass whose desired state equals the last one applied is skipped
 * unless {@code force} (the periodic resync) asks for it, because the drivers' own repair needs it.
 */
public final class NetworkReconciler {

    private final NetworkStateService state;
    private final String hostId;
    private HostNetwork lastNetwork;
    private FirewallPolicy lastFirewall;
    private volatile Outcome lastOutcome = new Outcome(null, false, "not run yet");

    /** When a pass ended, whether it succeeded, and what it did or why it failed. */
    public record Outcome(Instant at, boolean success, String detail) {
    }

    public NetworkReconciler(NetworkStateService state, String hostId) {
        this.state = state;
        this.hostId = hostId;
    }

    /** Runs one pass; throws what the drivers threw, after recording it. */
    public synchronized Outcome reconcile(NetworkDriver network, FirewallDriver firewall, boolean force) {
        try {
            long started = System.nanoTime();
            HostNetwork desiredNetwork = state.desiredNetwork(hostId);
            FirewallPolicy desiredFirewall = state.desiredFirewall(hostId);
            long read = System.nanoTime();
            long networkApplied = read;
            boolean networkDue = force || !desiredNetwork.equals(lastNetwork);
            boolean firewallDue = force || networkDue || !desiredFirewall.equals(lastFirewall);
            if (networkDue) {
                lastNetwork = null; // a failed apply must be retried even if the state does not change
                if (force) {
                    network.apply(desiredNetwork);
                } else {
                    network.applyChanges(desiredNetwork);
                }
                lastNetwork = desiredNetwork;
                networkApplied = System.nanoTime();
            }
            if (firewallDue) {
                lastFirewall = null;
                if (force) {
                    firewall.apply(desiredFirewall);
                } else {
                    firewall.applyChanges(desiredFirewall);
                }
                lastFirewall = desiredFirewall;
            }
            lastOutcome = new Outcome(Instant.now(), true, networkDue || firewallDue
                    ? "applied " + desiredNetwork.vpcs().size() + " VPC(s), " + desiredFirewall.ports().size()
                    + " port policy(ies) with " + network.info().name() + " and " + firewall.info().name()
                    + " (read " + millis(started, read) + " ms, network " + millis(read, networkApplied)
                    + " ms, firewall " + millis(networkApplied, System.nanoTime()) + " ms)"
                    : "unchanged (read " + millis(started, read) + " ms)");
            return lastOutcome;
        } catch (RuntimeException e) {
            lastOutcome = new Outcome(Instant.now(), false, e.getMessage());
            throw e;
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    public Outcome lastOutcome() {
        return lastOutcome;
    }
}
