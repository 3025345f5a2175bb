package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The accelerator this driver's domains use, and the one answer that both its capabilities and its launches
 * read. Configured as {@code kvm} or {@code tcg} it is known at once; {@code auto} runs {@link AcceleratorProbe}
 * in the background, and until that answers the driver claims no accelerator and defines no domain: a launch
 * waits for the answer (at most {@code bound}). A domain that KVM cannot run demotes an {@code auto} choice to
 * TCG for good ({@link #demote}): a probe can pass where real guests still fail.
 */
final class AcceleratorChoice {

    /** The probe takes up to its own timeout twice over on a slow host, plus QEMU's start. */
    static final Duration DEFAULT_BOUND = AcceleratorProbe.DEFAULT_TIMEOUT.plusSeconds(25);

    private static final Logger LOG = LoggerFactory.getLogger(AcceleratorChoice.class);

    private final boolean probed;
    private final Duration bound;
    private volatile CompletableFuture<AcceleratorProbe> verdict;

    private AcceleratorChoice(boolean probed, CompletableFuture<AcceleratorProbe> verdict, Duration bound) {
        this.probed = probed;
        this.verdict = verdict;
        this.bound = bound;
    }

    /**
     * @param mode   {@code auto}, {@code kvm} or {@code tcg} (blank: auto)
     * @param prober runs the probe (on a thread of its own) in {@code auto} mode
     * @param bound  how long a launch waits for the probe's answer
     */
    static AcceleratorChoice of(String mode, Supplier<AcceleratorProbe> prober, Duration bound) {
        String m = mode == null || mode.isBlank() ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        return switch (m) {
            case "kvm" -> known(new AcceleratorProbe(AcceleratorProbe.KVM, "configured (accelerator=kvm)"));
            case "tcg" -> known(new AcceleratorProbe(AcceleratorProbe.TCG, "configured (accelerator=tcg)"));
            case "auto" -> new AcceleratorChoice(true, CompletableFuture.supplyAsync(() -> safely(prober), runnable -> {
                Thread t = new Thread(runnable, "gcp-libvirt-accelerator-probe");
                t.setDaemon(true);
                t.start();
            }), bound);
            default -> throw new IllegalArgumentException("accelerator must be auto, kvm or tcg, not '" + mode + "'");
        };
    }

    /** TCG needs nothing of the host: the safe answer when the probe itself broke. */
    private static AcceleratorProbe safely(Supplier<AcceleratorProbe> prober) {
        try {
            return prober.get();
        } catch (RuntimeException e) {
            return new AcceleratorProbe(AcceleratorProbe.TCG, "the accelerator probe failed: " + e);
        }
    }

    private static AcceleratorChoice known(AcceleratorProbe configured) {
        return new AcceleratorChoice(false, CompletableFuture.completedFuture(configured), Duration.ZERO);
    }

    /** The answer if there is one yet; never waits. */
    Optional<AcceleratorProbe> known() {
        return Optional.ofNullable(verdict.getNow(null));
    }

    /** Runs {@code then} once the answer is known (for the log). */
    void whenKnown(java.util.function.Consumer<AcceleratorProbe> then) {
        verdict.thenAccept(then);
    }

    /**
     * The answer, waiting for the probe if it still runs.
     *
     * @throws DriverException if the probe has not answered within the bound: nothing may be defined until it has
     */
    AcceleratorProbe await() {
        CompletableFuture<AcceleratorProbe> v = verdict;
        try {
            return v.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while waiting for the accelerator probe", e);
        } catch (TimeoutException e) {
            throw new DriverException("the accelerator probe (a test guest under -accel kvm) has not answered within "
                    + bound.toSeconds() + " s; no virtual machine is defined before it has. Set accelerator=tcg (or kvm) "
                    + "in " + LibvirtComputeDriver.PID + " to skip the probe", e);
        } catch (ExecutionException e) {
            return new AcceleratorProbe(AcceleratorProbe.TCG, "the accelerator probe failed: " + e.getCause());
        }
    }

    /** Whether a domain that failed under {@code used} may be tried again under TCG: an {@code auto} choice of KVM. */
    boolean mayFallBack(AcceleratorProbe used) {
        return probed && used.kvm();
    }

    /**
     * Makes TCG the answer from now on, because KVM could not run a guest that TCG then ran; a no-op if the
     * answer changed meanwhile.
     *
     * @return the answer now in force
     */
    synchronized AcceleratorProbe demote(AcceleratorProbe failed, String why) {
        AcceleratorProbe now = verdict.getNow(null);
        if (now != null && now.equals(failed)) {
            AcceleratorProbe tcg = new AcceleratorProbe(AcceleratorProbe.TCG, "KVM passed the probe but could not run "
                    + "a guest that TCG ran (" + why + ")");
            verdict = CompletableFuture.completedFuture(tcg);
            LOG.warn("libvirt compute driver: accelerator now tcg: {}", tcg.detail());
            return tcg;
        }
        return now == null ? failed : now;
    }
}
