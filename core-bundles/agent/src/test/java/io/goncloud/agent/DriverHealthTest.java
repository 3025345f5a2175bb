package io.goncloud.agent;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent remembers of its drivers' probes: a probe (which may create a namespace or call a daemon) is
 * asked at most once per time-to-live, again once that has passed, and again after the driver was forgotten (as
 * after a failed operation); a probe that throws makes the driver unusable instead of failing the caller.
 */
class DriverHealthTest {

    private static final Duration TTL = Duration.ofSeconds(30);

    /** A driver whose probe answers what {@link #answer} says and counts the questions. */
    private static final class CountingDriver implements Driver {
        final AtomicInteger probes = new AtomicInteger();
        volatile Supplier<HealthReport> answer = () -> HealthReport.ok("fine");

        @Override
        public DriverInfo info() {
            return new DriverInfo("gcp-test", DriverKind.NETWORK, "1", Set.of());
        }

        @Override
        public HealthReport probe() {
            probes.incrementAndGet();
            return answer.get();
        }
    }

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** The background probes, run when the test says so. */
    private final java.util.Deque<Runnable> background = new java.util.ArrayDeque<>();
    private final DriverHealth health = new DriverHealth(TTL, nanos::get, background::add);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aProbeIsAskedOnceWithinItsTimeToLiveAndAgainAfterIt() {
        CountingDriver driver = new CountingDriver();

        assertTrue(health.usable(driver));
        assertTrue(health.usable(driver));
        advance(TTL.minusNanos(1));
        assertTrue(health.usable(driver));
        assertEquals(1, driver.probes.get(), "one probe serves every question within its time to live");

        advance(Duration.ofNanos(1));
        driver.answer = () -> HealthReport.unusable("the daemon went away");
        assertTrue(health.usable(driver), "an old usable answer serves while the driver is asked in the background");
        assertTrue(health.usable(driver));
        assertEquals(1, driver.probes.get(), "not on the caller's thread");
        assertEquals(1, background.size(), "one background probe at a time");
        background.poll().run();
        assertEquals(2, driver.probes.get());
        assertFalse(health.usable(driver), "its answer is used from then on");
        assertFalse(health.usable(driver), "an unusable answer is remembered too");
        assertEquals(2, driver.probes.get());
        assertTrue(background.isEmpty());
    }

    @Test
    void anOldUnusableAnswerIsAskedAgainOnTheCallersThread() {
        CountingDriver driver = new CountingDriver();
        driver.answer = () -> HealthReport.unusable("not yet");
        assertFalse(health.usable(driver));

        driver.answer = () -> HealthReport.ok("came back");
        advance(TTL);

        assertTrue(health.usable(driver), "a driver that came back is used at once");
        assertEquals(2, driver.probes.get());
        assertTrue(background.isEmpty());
    }

    @Test
    void aForgottenDriverIsAskedAgainAtOnce() {
        CountingDriver driver = new CountingDriver();
        CountingDriver other = new CountingDriver();
        assertTrue(health.usable(driver));
        assertTrue(health.usable(other));

        driver.answer = () -> HealthReport.unusable("an operation failed: it is broken now");
        health.forget(driver);

        assertFalse(health.usable(driver), "forgotten: the next question probes it, within the time to live");
        assertEquals(2, driver.probes.get());
        assertTrue(health.usable(other), "another driver's answer is still remembered");
        assertEquals(1, other.probes.get());
    }

    @Test
    void aProbeThatThrowsOrAnswersNothingMakesTheDriverUnusable() {
        CountingDriver throwing = new CountingDriver();
        throwing.answer = () -> {
            throw new IllegalStateException("cannot reach the daemon");
        };
        CountingDriver silent = new CountingDriver();
        silent.answer = () -> null;

        assertFalse(health.usable(throwing), "a probe that throws counts as unusable; the caller goes on");
        assertFalse(health.usable(silent), "no report, no use");

        throwing.answer = () -> HealthReport.ok("back");
        assertFalse(health.usable(throwing), "the failure is remembered like any answer");
        assertEquals(1, throwing.probes.get());
        advance(TTL);
        assertTrue(health.usable(throwing), "and asked again after its time to live");
        assertEquals(2, throwing.probes.get());
    }
}
