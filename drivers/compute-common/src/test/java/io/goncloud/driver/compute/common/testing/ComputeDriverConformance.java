package io.goncloud.driver.compute.common.testing;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import io.goncloud.driver.compute.common.HostCommands;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scenarios every {@link ComputeDriver} must pass, on the real host: a driver's suite extends it with a
 * {@link ComputeDriverFactory} and adds what only its driver does. The kit plays the network driver (a
 * {@link NetworkSide}: a namespace with the subnet's bridge and gateway, a veth pair per NIC) and checks what a
 * user of the platform would notice: instances run and answer on their addresses, report their real state,
 * stop, start and reboot on the same addresses, are found once however often they are launched, tell their
 * console, go without a trace, and a spec the driver cannot run is refused with a {@link DriverException} that
 * says what is wrong, before anything is made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // so that the one-time set-up can ask the suite for its factory
@Execution(ExecutionMode.SAME_THREAD) // one scenario at a time: each cleans up after itself (a suite may run concurrently)
public abstract class ComputeDriverConformance {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Pattern OWN_NAMESPACE = Pattern.compile("(gcp[a-z]*)-(\\d+)-net");

    private final String prefix;
    private final ComputeDriverFactory factory;
    private final AtomicInteger ports = new AtomicInteger();
    private final List<String> launched = new ArrayList<>();
    protected NetworkSide network;
    protected ComputeDriver driver;

    /**
     * @param prefix  the start of the names the kit gives (network namespace {@code <prefix>-<pid>-net}, devices
     *                {@code <prefix>i<n>}): {@code gcp} and up to five letters, its own per suite
     * @param factory the driver under test
     */
    protected ComputeDriverConformance(String prefix, ComputeDriverFactory factory) {
        this.prefix = prefix;
        this.factory = factory;
    }

    @BeforeAll
    void openTheDriverBesideANetwork() {
        Assumptions.assumeTrue("0".equals(HostCommands.run(List.of("id", "-u")).output()),
                "needs root: the kit makes a network namespace and veth pairs");
        factory.assumeUsable();
        removeNamespacesOfEndedRuns();
        network = new NetworkSide(prefix, prefix + "-" + ProcessHandle.current().pid() + "-net");
        network.create();
        driver = factory.open(network.namespace());
    }

    @AfterEach
    void destroyLaunched() {
        launched.forEach(driver::destroy);
        launched.clear();
    }

    @AfterAll
    void closeTheDriverAndTheNetwork() throws Exception {
        if (driver instanceof AutoCloseable closeable) {
            closeable.close();
        }
        factory.cleanUp();
        if (network != null) {
            network.remove();
        }
    }

    // --- the scenarios

    @Test
    void infoAndProbeDeclareAUsableComputeDriverForItsImages() {
        DriverInfo info = driver.info();
        assertEquals(DriverKind.COMPUTE, info.kind());
        assertTrue(info.name() != null && !info.name().isBlank(), "a name operators can pin: " + info);
        assertTrue(info.has(ComputeDriver.IMAGE_FORMAT + factory.bootableImage().format()),
                "the format of the images it boots among its capabilities: " + info.capabilities());
        HealthReport probe = driver.probe();
        assertTrue(probe.usable(), probe.detail());
        assertFalse(probe.detail() == null || probe.detail().isBlank(), "the probe says what it found");
    }

    @Test
    void aLaunchedInstanceRunsOnItsNicsAndLaunchingAgainChangesNothing() {
        NicSpec first = newNic();
        NicSpec second = newNic();
        InstanceSpec spec = spec(newInstanceId(), List.of(first, second));
        String id = spec.instanceId();

        assertEquals(PowerState.RUNNING, driver.launch(spec).power());

        assertAnswers(first, second);
        assertFalse(network.has(first.hostDevice()), "the NIC's device went from the network driver to the instance");
        assertEquals(PowerState.RUNNING, driver.inspect(id).orElseThrow().power());
        assertEquals(PowerState.RUNNING, driver.launch(spec).power(), "launching a running instance again");
        assertEquals(1, listed(id), "one instance, however often it is launched");
        assertAnswers(first, second);
    }

    @Test
    void aPreparedInstanceIsTheOneTheLaunchRuns() {
        InstanceSpec spec = withOneNic();
        String id = spec.instanceId();
        NicSpec nic = spec.nics().get(0);

        driver.prepare(spec);
        driver.prepare(spec);
        assertEquals(PowerState.RUNNING, driver.launch(spec).power());

        assertEquals(1, listed(id), "preparing twice, then launching, makes one instance");
        assertAnswers(nic);
    }

    @Test
    void stopAndStartKeepTheAddressAndRepeatingThemChangesNothing() {
        InstanceSpec spec = withOneNic();
        String id = spec.instanceId();
        NicSpec nic = spec.nics().get(0);
        driver.launch(spec);
        assertAnswers(nic);

        InstanceStatus stopped = driver.stop(id, GRACE);

        assertEquals(PowerState.STOPPED, stopped.power(), stopped.detail());
        assertEquals(PowerState.STOPPED, driver.stop(id, GRACE).power(), "stopping a stopped instance");
        assertEquals(PowerState.STOPPED, driver.inspect(id).orElseThrow().power());
        assertFalse(network.pingable(nic.ipAddress(), 1), "a stopped instance does not answer");

        reapplyNetwork(nic);
        assertEquals(PowerState.RUNNING, driver.start(spec).power());
        assertEquals(PowerState.RUNNING, driver.start(spec).power(), "starting a running instance");
        assertEquals(1, listed(id));
        assertAnswers(nic);
    }

    @Test
    void aRebootedInstanceRunsAgainOnItsNics() {
        List<NicSpec> nics = List.of(newNic(), newNic());
        InstanceSpec spec = spec(newInstanceId(), nics);
        driver.launch(spec);

        assertEquals(PowerState.RUNNING, driver.reboot(spec, GRACE).power());

        assertEquals(1, listed(spec.instanceId()));
        assertAnswers(nics.toArray(NicSpec[]::new));
    }

    @Test
    void anInstanceEndedBehindTheDriversBackIsReportedAndStartsAgain() {
        InstanceSpec spec = withOneNic();
        String id = spec.instanceId();
        NicSpec nic = spec.nics().get(0);
        driver.launch(spec);

        factory.killOutsideThePlatform(id);

        await(() -> driver.inspect(id).orElseThrow().power() != PowerState.RUNNING, "the instance is reported ended");
        PowerState ended = driver.inspect(id).orElseThrow().power();
        assertTrue(ended == PowerState.STOPPED || ended == PowerState.CRASHED, ended.toString());
        reapplyNetwork(nic); // the agent re-applies the network, then starts the instance again
        assertEquals(PowerState.RUNNING, driver.start(spec).power());
        assertAnswers(nic);
    }

    @Test
    void listAndInspectReportEachInstancesActualState() {
        String running = newInstanceId();
        String stopped = newInstanceId();
        driver.launch(spec(running, List.of()));
        driver.launch(spec(stopped, List.of()));
        driver.stop(stopped, GRACE);

        Map<String, InstanceStatus> listed = new HashMap<>();
        driver.list().forEach(status -> listed.put(status.instanceId(), status));

        assertEquals(PowerState.RUNNING, listed.get(running).power());
        assertEquals(PowerState.STOPPED, listed.get(stopped).power());
        assertEquals(listed.get(stopped), driver.inspect(stopped).orElseThrow());
        assertEquals(Optional.empty(), driver.inspect(UUID.randomUUID().toString()), "an instance it does not have");
    }

    @Test
    void theConsoleOutputIsTheTailOfWhatTheInstancePrinted() {
        String id = newInstanceId();
        InstanceSpec spec = spec(id, List.of());
        driver.launch(spec);
        String marker = factory.bootMarker(spec);

        await(() -> driver.consoleOutput(id, 1 << 16).contains(marker), "'" + marker + "' on the console");

        String all = driver.consoleOutput(id, 1 << 16);
        assertEquals(all.substring(all.length() - 5), driver.consoleOutput(id, 5), "the last 5 bytes");
        assertEquals("", driver.consoleOutput(id, 0));
        driver.stop(id, GRACE);
        assertTrue(driver.consoleOutput(id, 1 << 16).contains(marker), "the console outlives a stop");
    }

    @Test
    void destroyLeavesNothingAndIsIdempotent() {
        String id = newInstanceId();
        NicSpec nic = newNic();
        driver.launch(spec(id, List.of(nic)));
        assertFalse(factory.traces(id).isEmpty(), "the driver made something for the instance");

        driver.destroy(id);

        assertEquals(List.of(), factory.traces(id), "what the driver made for the instance");
        assertEquals(Optional.empty(), driver.inspect(id));
        assertEquals(0, listed(id));
        // The kernel tears a network namespace down in a work queue of its own: seconds on a busy host.
        await(() -> !network.pingable(nic.ipAddress(), 0), Duration.ofSeconds(60), "nothing answering at " + nic.ipAddress());
        driver.destroy(id);
        driver.destroy(UUID.randomUUID().toString());
        DriverException e = assertThrows(DriverException.class, () -> driver.stop(id, GRACE));
        assertTrue(e.getMessage().contains(id) && e.getMessage().contains("does not exist on this host"), e.getMessage());
    }

    @Test
    void aSpecTheDriverCannotRunIsRefusedBeforeAnythingIsMade() {
        String id = newInstanceId();
        ImageRef image = factory.bootableImage();
        ImageRef foreign = new ImageRef(image.imageId(), "gcp-no-such-format", image.location());
        String invalidId = "../" + id;

        refused(invalidId, "is not a valid instance id",
                () -> driver.launch(spec(invalidId, image, 1, factory.memoryMiB(), List.of())));
        refused(id, "vcpus must be at least 1, not 0", () -> driver.launch(spec(id, image, 0, factory.memoryMiB(), List.of())));
        refused(id, "memory must be at least", () -> driver.launch(spec(id, image, 1, 0, List.of())));
        refused(id, "has format 'gcp-no-such-format'", () -> driver.launch(spec(id, foreign, 1, factory.memoryMiB(), List.of())));
    }

    @Test
    void aLaunchWithoutItsImageOrItsNicFailsAndLeavesNothing() {
        String id = newInstanceId();
        ImageRef missing = factory.missingImage();
        refused(id, "on this host", () -> driver.launch(spec(id, missing, 1, factory.memoryMiB(), List.of())));

        int n = ports.incrementAndGet(); // a port the network driver has not made
        NicSpec ghost = new NicSpec(NetworkSide.mac(n), network.address(n), 24, network.gateway(), network.instanceSide(n));
        DriverException e = assertThrows(DriverException.class,
                () -> driver.launch(spec(id, List.of(newNic(), ghost))));
        assertTrue(e.getMessage().startsWith("Cannot launch instance " + id + ": could not attach its network interfaces")
                && e.getMessage().contains("network device " + ghost.hostDevice() + " does not exist"), e.getMessage());
        assertNothingOf(id);
    }

    // --- the platform's side, reduced to what the scenarios need

    /** A new instance id, destroyed after the test. */
    protected String newInstanceId() {
        String id = UUID.randomUUID().toString();
        launched.add(id);
        return id;
    }

    /** A NIC on a fresh port, made as the network driver would. */
    protected NicSpec newNic() {
        return network.nic(ports.incrementAndGet());
    }

    /** A spec of a new instance with one NIC on a fresh port. */
    protected InstanceSpec withOneNic() {
        return spec(newInstanceId(), List.of(newNic()));
    }

    protected InstanceSpec spec(String id, List<NicSpec> nics) {
        return spec(id, factory.bootableImage(), 1, factory.memoryMiB(), nics);
    }

    private InstanceSpec spec(String id, ImageRef image, int vcpus, int memoryMiB, List<NicSpec> nics) {
        Map<String, String> labels = new HashMap<>(factory.labels());
        labels.put("hostname", "kit-" + id.substring(id.length() - 6));
        return new InstanceSpec(id, image, vcpus, memoryMiB, 1, nics, null, List.of(), labels);
    }

    private void reapplyNetwork(NicSpec nic) {
        Matcher port = Pattern.compile(Pattern.quote(prefix) + "i(\\d+)").matcher(nic.hostDevice());
        assertTrue(port.matches(), nic.hostDevice());
        network.ensurePort(Integer.parseInt(port.group(1)));
    }

    private void assertAnswers(NicSpec... nics) {
        for (NicSpec nic : nics) {
            assertTrue(network.pingable(nic.ipAddress(), factory.bootTime().toSeconds()),
                    "the instance answers at " + nic.ipAddress());
        }
    }

    private long listed(String id) {
        return driver.list().stream().filter(status -> status.instanceId().equals(id)).count();
    }

    private void refused(String id, String reason, Executable launch) {
        DriverException e = assertThrows(DriverException.class, launch);
        assertTrue(e.getMessage().contains(id) && e.getMessage().contains(reason),
                "the message names the instance and says '" + reason + "': " + e.getMessage());
        if (!id.contains("/")) {
            assertNothingOf(id);
        }
    }

    private void assertNothingOf(String id) {
        assertEquals(Optional.empty(), driver.inspect(id));
        assertEquals(List.of(), factory.traces(id), "nothing made for the refused instance");
    }

    private void await(java.util.function.BooleanSupplier condition, String what) {
        await(condition, factory.bootTime(), what);
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50); // polling interval, not a guess at how long something takes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Deletes the network namespaces of this suite's runs whose JVM is gone. */
    private void removeNamespacesOfEndedRuns() {
        for (String line : HostCommands.run(List.of("ip", "netns", "list")).output().split("\n")) {
            Matcher own = OWN_NAMESPACE.matcher(line.strip().split("\\s+")[0]);
            if (own.matches() && own.group(1).equals(prefix) && !Files.exists(Path.of("/proc", own.group(2)))) {
                HostCommands.run(List.of("ip", "netns", "delete", own.group(0)));
            }
        }
    }
}
