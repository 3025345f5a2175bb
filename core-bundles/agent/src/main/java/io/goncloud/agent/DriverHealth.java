package io.goncloud.agent;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.HealthReport;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers what each driver's probe said, for a while. A probe may create a namespace, run nft or call a
 * daemon (hundreds of milliseconds); asking it before every network pass, task and heartbeat made the
 * agent spend its time probing. A driver that fails an operation is forgotten, so that the next use probes
 * it again.
 */
final class DriverHealth {

    private record Seen(HealthReport report, long atNanos) {
    }

    private final Map<Driver, Seen> seen = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier clock;

    DriverHealth(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    DriverHealth(Duration ttl, LongSupplier clock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    boolean usable(Driver driver) {
        long now = clock.getAsLong();
        Seen last = seen.get(driver);
        if (last == null || now - last.atNanos() >= ttlNanos) {
            HealthReport report;
            try {
                report = driver.probe();
            } catch (RuntimeException e) {
                report = HealthReport.unusable("probe failed: " + e.getMessage());
            }
            last = new Seen(report, now);
            seen.put(driver, last);
        }
        return last.report() != null && last.report().usable();
    }

    /** The next {@link #usable} asks the driver again. */
    void forget(Driver driver) {
        seen.remove(driver);
    }
}
