package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.goncloud.driver.libvirt.TestHost.check;
import static io.goncloud.driver.libvirt.TestHost.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accelerator answer on a real libvirtd, whatever this host's /dev/kvm does: a slow probe (as on a host whose
 * /dev/kvm opens but hangs guests: the probe waits out its timeout) holds VM launches back instead of letting them
 * use an accelerator nobody proved; a probe that says KVM where KVM cannot run the domain (as on a /dev/kvm that
 * runs the probe's guest but refuses the host CPU's registers) costs a retry under TCG, not the instance; a probe
 * that never answers fails the launch clearly. The probes are stand-ins; libvirt, QEMU and the guests are real.
 */
class AcceleratorAnswerTest {

    private static final Duration BOOT = Duration.ofSeconds(150);
    private static Path stateDir;
    private static final List<String> LAUNCHED = new CopyOnWriteArrayList<>();
    /** Instance ids in TestHost's scheme, so that a later run sweeps what an interrupted one left. */
    private static final String RUN = new TestHost().runId;
    private static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        String reason = TestHost.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "libvirt accelerator tests skipped: " + reason);
        String imageReason = TestHost.buildImage();
        Assumptions.assumeTrue(imageReason == null, () -> "libvirt accelerator tests skipped: " + imageReason);
        stateDir = Path.of("target", "gcptl-accel-instances").toAbsolutePath();
        Files.createDirectories(stateDir);
        try (LibvirtComputeDriver sweeper = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, "", stateDir, "tcg")) {
            new TestHost().removeStaleLeftovers(sweeper, stateDir);
        }
    }

    @AfterAll
    static void tearDown() {
        if (stateDir == null) {
            return;
        }
        try (LibvirtComputeDriver cleaner = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, "", stateDir, "tcg")) {
            for (String id : LAUNCHED) {
                try {
                    cleaner.destroy(id);
                } catch (RuntimeException e) {
                    System.err.println("cannot destroy " + id + ": " + e.getMessage());
                }
            }
        }
    }

    private static String newInstanceId() {
        String id = TestHost.PREFIX + "-" + RUN + "-" + SEQ.incrementAndGet();
        LAUNCHED.add(id);
        return id;
    }

    /** A VM without NICs: what is under test is the domain and its accelerator, not the network. */
    private static InstanceSpec spec(String id) {
        return new InstanceSpec(id, new ImageRef("img-busybox-vm", "qcow2", TestHost.IMAGE.toString()), 1, 128, 1,
                List.of(), null, List.of(), Map.of("hostname", "acc"));
    }

    private static String domainType(String id) {
        String xml = check("virsh", "virsh", "-c", "qemu:///system", "dumpxml", LibvirtComputeDriver.domainName(id)).output();
        return xml.contains("<domain type='kvm'") ? "kvm" : "qemu";
    }

    private static boolean domainExists(String id) {
        return run("virsh", "-c", "qemu:///system", "dominfo", LibvirtComputeDriver.domainName(id)).ok();
    }

    private static void awaitConsole(LibvirtComputeDriver driver, String id, String marker) {
        long deadline = System.nanoTime() + BOOT.toNanos();
        String console;
        do {
            console = driver.consoleOutput(id, 1 << 20);
            if (console.contains(marker)) {
                return;
            }
            TestHost.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(id + ": '" + marker + "' not on the console within " + BOOT.toSeconds() + " s:\n" + console);
    }

    private static boolean hasAccelerator(LibvirtComputeDriver driver) {
        return driver.info().capabilities().stream().anyMatch(c -> c.startsWith(LibvirtComputeDriver.ACCELERATOR));
    }

    @Test
    void aVmLaunchedBeforeTheProbeAnswersWaitsForTheAnswerAndRuns() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        String qemu = LibvirtComputeDriver.qemuBinary();
        // The real probe, held back until the test lets it answer: a slow probe, whatever this host's KVM does.
        try (LibvirtComputeDriver driver = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, "", stateDir, () -> {
            asked.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return AcceleratorProbe.run(qemu, AcceleratorProbe.DEFAULT_TIMEOUT);
        }, Duration.ofMinutes(2))) {
            assertTrue(asked.await(10, TimeUnit.SECONDS), "the probe starts with the driver");
            // Until the probe answers, no accelerator is claimed, but VM images are: the scheduler may place VMs here.
            assertFalse(hasAccelerator(driver), driver.info().toString());
            assertTrue(driver.info().has("image-format:qcow2"), driver.info().toString());
            HealthReport health = driver.probe();
            assertTrue(health.usable() && health.detail().contains("accelerator not known yet"), health.detail());

            String id = newInstanceId();
            CompletableFuture<InstanceStatus> launch = CompletableFuture.supplyAsync(() -> driver.launch(spec(id)));
            // The launch is under way and has defined nothing: no domain for an accelerator nobody proved.
            assertFalse(launch.isDone());
            assertFalse(domainExists(id), "a domain was defined before the probe answered");

            answer.countDown();
            InstanceStatus launched = launch.get(3, TimeUnit.MINUTES);
            assertEquals(PowerState.RUNNING, launched.power(), launched.detail());
            String accelerator = driver.accelerator();
            assertEquals(accelerator.equals("kvm") ? "kvm" : "qemu", domainType(id), "the domain follows the answer");
            // Capabilities and launches read the same answer.
            assertTrue(driver.info().has(LibvirtComputeDriver.ACCELERATOR + accelerator), driver.info().toString());
            if (!Files.exists(Path.of("/dev/kvm"))) {
                assertEquals("tcg", accelerator);
            }
            awaitConsole(driver, id, "gcp: init ");
            driver.destroy(id);
            assertFalse(domainExists(id));
        }
    }

    @Test
    void aKvmAnswerThatCannotRunTheDomainFallsBackToTcgForGood() throws Exception {
        try (LibvirtComputeDriver driver = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, "", stateDir,
                () -> new AcceleratorProbe(AcceleratorProbe.KVM, "a test guest ran under KVM (stand-in)"),
                Duration.ofSeconds(30))) {
            String id = newInstanceId();
            InstanceStatus launched = driver.launch(spec(id));
            assertEquals(PowerState.RUNNING, launched.power(), launched.detail());
            awaitConsole(driver, id, "gcp: init ");
            if ("kvm".equals(domainType(id))) {
                // This host's KVM really runs guests: the answer stands.
                assertEquals("kvm", driver.accelerator());
            } else {
                // KVM could not run it (here: libvirt refuses type kvm without a usable /dev/kvm; elsewhere QEMU dies
                // at start): the instance runs under TCG, and TCG is the answer from now on, everywhere it is read.
                assertEquals("tcg", driver.accelerator());
                assertTrue(driver.acceleratorDetail().startsWith("KVM passed the probe but could not run a guest that "
                        + "TCG ran (instance " + id + ": "), driver.acceleratorDetail());
                assertTrue(driver.info().has("accelerator:tcg") && !driver.info().has("accelerator:kvm"),
                        driver.info().toString());
                // The next launch goes straight to TCG.
                String next = newInstanceId();
                assertEquals(PowerState.RUNNING, driver.launch(spec(next)).power());
                assertEquals("qemu", domainType(next));
                driver.destroy(next);
            }
            if (!Files.exists(Path.of("/dev/kvm"))) {
                assertEquals("qemu", domainType(id), "no /dev/kvm: the fallback must have run");
            }
            // Stop and start keep it running under the answer in force.
            assertEquals(PowerState.STOPPED, driver.stop(id, Duration.ZERO).power());
            assertEquals(PowerState.RUNNING, driver.start(spec(id)).power());
            driver.destroy(id);
            assertFalse(domainExists(id));
        }
    }

    @Test
    void aProbeThatNeverAnswersFailsTheLaunchClearlyAndMakesNothing() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (LibvirtComputeDriver driver = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, "", stateDir, () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AcceleratorProbe(AcceleratorProbe.TCG, "released");
        }, Duration.ofSeconds(1))) {
            String id = newInstanceId();
            DriverException e = assertThrows(DriverException.class, () -> driver.launch(spec(id)));
            assertTrue(e.getMessage().startsWith("Cannot launch instance " + id + ": the accelerator probe")
                    && e.getMessage().contains("has not answered within 1 s"), e.getMessage());
            assertFalse(domainExists(id));
            assertFalse(Files.exists(driver.instanceDir(id)), "nothing made for a launch that could not start");
            assertEquals(Optional.empty(), driver.inspect(id));
        } finally {
            never.countDown();
        }
    }
}
