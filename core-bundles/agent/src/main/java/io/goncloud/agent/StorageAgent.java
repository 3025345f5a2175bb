package io.goncloud.agent;

import io.goncloud.api.service.StateChangeListener;
import io.goncloud.api.service.StorageStateService;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.storage.StorageDriver;
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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host's storage agent, level-triggered like the network agent: on every committed change, when a storage
 * driver arrives, and every {@code storage.resync.seconds}, it reads the volumes and snapshots this host must make,
 * keep and remove ({@link StorageStateService}), converges the storage driver to that ({@link StorageReconciler}),
 * and reports what the driver then holds. Passes run one at a time; changes during a pass coalesce into one more.
 *
 * <p>It needs a {@link StorageStateService}, which the controller's core provides: it runs on the all-in-one; a
 * worker without a database has none yet, so the agent does not start there (docs/storage.md).
 */
@Component(immediate = true, service = {StateChangeListener.class, StorageAgent.class},
        configurationPid = "io.goncloud.agent")
public class StorageAgent implements StateChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(StorageAgent.class);

    /** Shares the PID of the other agents (whose metatype designates it); these keys are the storage agent's. */
    @ObjectClassDefinition(name = "GCP storage agent")
    public @interface Config {
        @AttributeDefinition(description = "This host's id; empty: the host name")
        String host_id() default "";

        @AttributeDefinition(description = "Storage driver to use (e.g. file); empty: the first usable one")
        String storage_driver() default "";

        @AttributeDefinition(description = "Seconds between full passes that find lost volumes and renew the pools' report")
        long storage_resync_seconds() default 30;

        @AttributeDefinition(description = "Whether the storage agent manages this host's volumes at all")
        boolean storage_enabled() default true;
    }

    private final List<StorageDriver> drivers = new CopyOnWriteArrayList<>();
    /** Volumes are plugged into instances through these. */
    private final List<ComputeDriver> computeDrivers = new CopyOnWriteArrayList<>();
    private final DriverHealth health = new DriverHealth(Duration.ofSeconds(60));
    private final StorageReconciler reconciler;
    private final Config config;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "gcp-storage-agent"));
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private volatile boolean active;

    @Activate
    public StorageAgent(@Reference StorageStateService state, Config config) {
        this.config = config;
        this.reconciler = new StorageReconciler(state, HostIdentity.of(config.host_id()), () -> List.copyOf(computeDrivers));
        if (config.storage_enabled()) {
            active = true;
            long period = Math.max(1, config.storage_resync_seconds());
            worker.scheduleWithFixedDelay(this::passQuietly, 0, period, TimeUnit.SECONDS);
        } else {
            LOG.info("The storage agent is disabled (io.goncloud.agent storage.enabled=false)");
        }
    }

    @Deactivate
    void stop() {
        active = false;
        worker.shutdownNow();
        health.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStorageDriver(StorageDriver driver) {
        drivers.add(driver);
        desiredStateChanged();
    }

    void removeStorageDriver(StorageDriver driver) {
        drivers.remove(driver);
        health.forget(driver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addComputeDriver(ComputeDriver driver) {
        computeDrivers.add(driver);
        desiredStateChanged();
    }

    void removeComputeDriver(ComputeDriver driver) {
        computeDrivers.remove(driver);
    }

    /** Queues one pass, unless one is queued and not started yet (it will see this change too). */
    @Override
    public void desiredStateChanged() {
        if (active && passQueued.compareAndSet(false, true)) {
            try {
                worker.execute(this::passQuietly);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                passQueued.set(false); // stopping
            }
        }
    }

    /** One pass now, on the caller's thread; for tests. @return whether a usable driver was found */
    public synchronized boolean pass() {
        passQueued.set(false);
        StorageDriver driver = DriverChoice.choose(drivers, config.storage_driver(), health).filter(health::usable)
                .orElse(null);
        if (driver == null) {
            // Nothing is reported either: an empty report would take every volume here for lost.
            LOG.debug("No usable storage driver on this host: volumes wait");
            return false;
        }
        try {
            reconciler.converge(driver);
            return true;
        } catch (RuntimeException e) {
            health.forget(driver); // probed afresh before the next pass
            throw e;
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            if (active) { // a pass cut short by the agent's stop is no failure
                LOG.warn("Storage pass failed (retried at the next change or resync): {}", e.toString());
            }
        }
    }
}
