package io.goncloud.agent;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.HealthReport;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Remembers what each driver's probe said, for a while. A probe may create a namespace, run nft or call a
 * daemon (hundreds of milliseconds); asking it before every network pass, task and heartbeat made the
 * agent spend its time probing. A driver that fails an operation is forgotten, so that the next use probes
 * it again.
 * <p>
 * A usable answer that has grown old is still served while the driver is asked again in the background: a
 * launch after a quiet spell must not wait for the probes (they cost it about half a second). An unusable one
 * is asked again at once, so that a driver that came back is used right away.
 */
final class DriverHealth implements AutoCloseable {

    private record Seen(HealthReport report, long atNanos) {
    }

    private final Map<Driver, Seen> seen = new ConcurrentHashMap<>();
    private final Set<Driver> refreshing = ConcurrentHashMap.newKeySet();
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Executor refresher;
    private final ExecutorService ownRefresher;

    DriverHealth(Duration ttl) {
        this(ttl, System::nanoTime, null);
    }

    /** @param refresher runs the background probes; {@code null}: a daemon thread of its own */
    DriverHealth(Duration ttl, LongSupplier clock, Executor refresher) {
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
        this.ownRefresher = refresher == null ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gcp-driver-probe");
            t.setDaemon(true);
            return t;
        }) : null;
        this.refresher = refresher == null ? ownRefresher : refresher;
    }

    boolean usable(Driver driver) {
        Seen last = seen.get(driver);
        if (last == null || (isStale(last) && !usable(last))) {
            last = probe(driver);
        } else if (isStale(last) && refreshing.add(driver)) {
            try {
                refresher.execute(() -> {
                    try {
                        probe(driver);
                    } finally {
                        refreshing.remove(driver);
                    }
                });
            } catch (RejectedExecutionException closed) {
                refreshing.remove(driver);
            }
        }
        return usable(last);
    }

    /** The next {@link #usable} asks the driver again, and waits for its answer. */
    void forget(Driver driver) {
        seen.remove(driver);
    }

    @Override
    public void close() {
        if (ownRefresher != null) {
            ownRefresher.shutdownNow();
        }
    }

    private boolean isStale(Seen last) {
        return clock.getAsLong() - last.atNanos() >= ttlNanos;
    }

    private static boolean usable(Seen last) {
        return last.report() != null && last.report().usable();
    }

    private Seen probe(Driver driver) {
        long now = clock.getAsLong();
        HealthReport report;
        try {
            report = driver.probe();
        } catch (RuntimeException e) {
            report = HealthReport.unusable("probe failed: " + e.getMessage());
        }
        Seen answer = new Seen(report, now);
        seen.put(driver, answer);
        return answer;
    }
}
