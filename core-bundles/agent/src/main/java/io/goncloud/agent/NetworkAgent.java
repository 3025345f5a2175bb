package io.goncloud.agent;

import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.service.StateChangeListener;
import io.goncloud.api.spi.network.FirewallDriver;
import io.goncloud.api.spi.network.NetworkDriver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.time.Duration;

/**
 * The host's network agent. It converges the kernel to the desired state whenever that state changes
 * (it listens for committed changes), when drivers come or go, and every {@code resync.seconds} to
 * repair drift. Passes run one at a time on one thread; changes arriving during a pass coalesce into
 * one more pass. A failed pass is retried with a growing delay.
 */
@Component(immediate = true, service = {StateChangeListener.class, NetworkAgent.class},
        configurationPid = "io.goncloud.agent")
@Designate(ocd = NetworkAgent.Config.class)
public class NetworkAgent implements StateChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkAgent.class);
    private static final long MAX_RETRY_SECONDS = 60;

    @ObjectClassDefinition(name = "GCP host agent")
    public @interface Config {
        @AttributeDefinition(description = "This host's id; empty: the host name")
        String host_id() default "";

        @AttributeDefinition(description = "Network driver to use (e.g. linux-bridge, openvswitch); empty: the "
                + "first usable one")
        String network_driver() default "";

        @AttributeDefinition(description = "Firewall driver to use (e.g. nftables); empty: the first usable one")
        String firewall_driver() default "";

        @AttributeDefinition(description = "Seconds between full re-applies that repair drift")
        long resync_seconds() default 30;

        @AttributeDefinition(description = "Whether the agent manages this host's networking at all")
        boolean enabled() default true;
    }

    private final List<NetworkDriver> networkDrivers = new CopyOnWriteArrayList<>();
    private final List<FirewallDriver> firewallDrivers = new CopyOnWriteArrayList<>();
    /** The pass queued and not started yet, which every request until it starts joins; null if none. */
    private CompletableFuture<Boolean> queued;
    private boolean queuedForce;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "gcp-network-agent"));
    private final NetworkReconciler reconciler;
    private final NetworkStateService state;
    private final String hostId;
    /** Notified on every change of the desired state, for {@link #awaitPortOf}. */
    private final Object stateChanges = new Object();
    private final DriverHealth health;
    private final Config config;
    private volatile boolean active;
    private int failures;

    @Activate
    public NetworkAgent(@Reference NetworkStateService state, Config config) {
        this.config = config;
        this.state = state;
        this.hostId = HostIdentity.of(config.host_id());
        this.reconciler = new NetworkReconciler(state, hostId);
        this.health = new DriverHealth(Duration.ofSeconds(Math.max(1, config.resync_seconds())));
        if (config.enabled()) {
            active = true;
            worker.scheduleWithFixedDelay(() -> { pass(true); }, 0, Math.max(1, config.resync_seconds()), TimeUnit.SECONDS);
        } else {
            LOG.info("The network agent is disabled (io.goncloud.agent enabled=false)");
        }
    }

    @Deactivate
    void stop() {
        active = false;
        worker.shutdownNow();
        health.close();
        synchronized (this) {
            if (queued != null) {
                queued.complete(false); // never to run: nobody waits for it in vain
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNetworkDriver(NetworkDriver driver) {
        networkDrivers.add(driver);
        desiredStateChanged();
    }

    void removeNetworkDriver(NetworkDriver driver) {
        networkDrivers.remove(driver);
        health.forget(driver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFirewallDriver(FirewallDriver driver) {
        firewallDrivers.add(driver);
        desiredStateChanged();
    }

    void removeFirewallDriver(FirewallDriver driver) {
        firewallDrivers.remove(driver);
        health.forget(driver);
    }

    @Override
    public void desiredStateChanged() {
        applySoon(false);
        synchronized (stateChanges) {
            stateChanges.notifyAll();
        }
    }

    /**
     * Waits until this host's desired network holds a port of the instance. On a worker the state comes from the
     * controller over the broker, separately from the instance's task, and may arrive after it.
     *
     * @return whether the port is there
     */
    public boolean awaitPortOf(String instanceId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateChanges) {
            while (!hasPortOf(instanceId)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    stateChanges.wait(Math.min(left, 1000)); // also looks again now and then: a wake-up may be missed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private boolean hasPortOf(String instanceId) {
        try {
            return state.desiredNetwork(hostId).vpcs().stream().flatMap(v -> v.subnets().stream())
                    .flatMap(s -> s.ports().stream()).anyMatch(p -> instanceId.equals(p.instanceId()));
        } catch (RuntimeException e) {
            return false; // e.g. no snapshot from the controller yet
        }
    }

    /** The outcome of the last pass, for operators. */
    public NetworkReconciler.Outcome lastOutcome() {
        return reconciler.lastOutcome();
    }

    /**
     * Runs a pass now, on the agent's thread, and waits for it: an instance about to be plugged in needs its port
     * in place. Without {@code force} the pass is skipped when the desired state has not changed since the last
     * successful one (cheap, and enough for a new instance); with it, everything is re-applied, which also
     * repairs a port that the instance's previous run took with it.
     *
     * @return whether the pass succeeded within {@code timeout}
     */
    public boolean applyNow(Duration timeout, boolean force) {
        return await(applySoon(force), timeout);
    }

    /** Queues the pass of {@link #applyNow} without waiting for it; {@link #await} it later. */
    public synchronized Future<Boolean> applySoon(boolean force) {
        if (!active) {
            return CompletableFuture.completedFuture(false);
        }
        if (queued != null) {
            // A pass that has not started yet reads the desired state after this request: it serves it too.
            queuedForce |= force;
            return queued;
        }
        CompletableFuture<Boolean> next = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                boolean forceNow;
                synchronized (this) {
                    forceNow = queuedForce;
                    queued = null;
                }
                try {
                    next.complete(pass(forceNow));
                } catch (Throwable t) {
                    next.completeExceptionally(t);
                    throw t;
                }
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(false);
        }
        queued = next;
        queuedForce = force;
        return next;
    }

    /** Whether a pass from {@link #applySoon} succeeded within {@code timeout}. */
    public static boolean await(Future<Boolean> pass, Duration timeout) {
        try {
            return pass.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    private boolean pass(boolean force) {
        Optional<NetworkDriver> network = DriverChoice.choose(networkDrivers, config.network_driver(), health);
        Optional<FirewallDriver> firewall = DriverChoice.choose(firewallDrivers, config.firewall_driver(), health);
        if (network.isEmpty() || firewall.isEmpty()) {
            LOG.debug("No usable network or firewall driver yet; waiting for one");
            return false;
        }
        try {
            NetworkReconciler.Outcome outcome = reconciler.reconcile(network.get(), firewall.get(), force);
            failures = 0;
            LOG.debug("Network pass: {}", outcome.detail());
            return true;
        } catch (RuntimeException e) {
            health.forget(network.get());
            health.forget(firewall.get());
            failures++;
            long delay = Math.min(MAX_RETRY_SECONDS, 1L << Math.min(failures, 6));
            LOG.warn("Network pass failed (attempt {}), retrying in {} s: {}", failures, delay, e.getMessage());
            if (active) {
                worker.schedule(() -> pass(false), delay, TimeUnit.SECONDS);
            }
            return false;
        }
    }
}
