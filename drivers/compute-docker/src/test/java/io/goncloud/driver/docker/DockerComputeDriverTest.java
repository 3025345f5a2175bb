package io.goncloud.driver.docker;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.goncloud.driver.docker.TestHost.check;
import static io.goncloud.driver.docker.TestHost.dockerInspect;
import static io.goncloud.driver.docker.TestHost.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only this driver does, against a real Docker Engine and real network namespaces, veth devices and traffic
 * (what every compute driver must do is {@link DockerConformanceTest}'s: the conformance kit). The test
 * plays the network driver: its namespace holds a bridge with the gateway address and, per NIC, a veth
 * pair whose instance end is the NicSpec's host device.
 */
class DockerComputeDriverTest {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private static TestHost host;
    private static DockerComputeDriver driver;
    /** The driver's state directory: each instance's mounted files live here. */
    @TempDir
    static Path stateDir;
    private static final AtomicInteger PORTS = new AtomicInteger();
    private final List<String> launched = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        String reason = TestHost.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "Docker driver tests skipped: " + reason);
        host = new TestHost();
        host.removeStaleLeftovers();
        String imageReason = host.buildImages();
        Assumptions.assumeTrue(imageReason == null, () -> "Docker driver tests skipped: " + imageReason);
        host.createNamespace();
        driver = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, host.netns, "", stateDir.toString());
    }

    @AfterEach
    void destroyLaunched() {
        for (String id : launched) {
            driver.destroy(id);
        }
    }

    @AfterAll
    static void tearDown() {
        if (driver != null) {
            driver.close();
        }
        if (host != null) {
            host.removeAll();
        }
    }

    // ---------------------------------------------------------------------------------------------

    private String newInstanceId() {
        String id = UUID.randomUUID().toString();
        launched.add(id);
        return id;
    }

    /** A NIC on a fresh port: the veth pair is made as the network driver would. */
    private NicSpec newNic() {
        return host.nic(PORTS.incrementAndGet());
    }

    private static int portOf(NicSpec nic) {
        return Integer.parseInt(nic.hostDevice().substring((TestHost.PREFIX + "i").length()));
    }

    private InstanceSpec spec(String id, String image, int vcpus, int memoryMiB, List<NicSpec> nics, String userData,
                              List<String> keys, Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(TestHost.RUN_LABEL, host.runId);
        return new InstanceSpec(id, new ImageRef("img-" + id.substring(0, 8), "docker-rootfs", image), vcpus, memoryMiB,
                1, nics, userData, keys, all);
    }

    private InstanceSpec simple(String id, List<NicSpec> nics) {
        return spec(id, host.image, 1, 64, nics, null, List.of(), Map.of());
    }

    private static String container(String id) {
        return DockerComputeDriver.containerName(id);
    }

    private static String exec(String id, String... command) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", container(id)));
        argv.addAll(List.of(command));
        return check("docker exec", argv.toArray(String[]::new)).output();
    }

    private static int containersNamed(String id) {
        String out = run("docker", "ps", "-a", "-q", "--filter", "name=^/" + container(id) + "$").output();
        return out.isBlank() ? 0 : out.split("\\s+").length;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void infoAndProbe() {
        assertEquals("docker", driver.info().name()); // the kit checks the kind and the image format

        HealthReport ok = driver.probe();
        assertTrue(ok.usable(), ok.detail());
        assertTrue(ok.detail().matches("Docker Engine \\S+ \\(API \\d+\\.\\d+\\) at unix:///var/run/docker.sock.*"),
                ok.detail());

        try (DockerComputeDriver nowhere = DockerComputeDriver.open("unix:///tmp/gcptd-no-such.sock", "")) {
            HealthReport bad = nowhere.probe();
            assertFalse(bad.usable());
            assertTrue(bad.detail().contains("unix:///tmp/gcptd-no-such.sock") && bad.detail().contains("does not answer"),
                    bad.detail());
            DriverException e = assertThrows(DriverException.class, nowhere::list);
            assertTrue(e.getMessage().startsWith("Cannot list instances: ")
                    && e.getMessage().contains("the Docker daemon at unix:///tmp/gcptd-no-such.sock is not reachable"),
                    e.getMessage());
        }
        try (DockerComputeDriver noNetns = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST,
                TestHost.PREFIX + "-no-such-host")) {
            HealthReport bad = noNetns.probe();
            assertFalse(bad.usable());
            assertTrue(bad.detail().contains(TestHost.PREFIX + "-no-such-host"), bad.detail());
        }
    }

    @Test
    void launchAppliesLimitsWritesFilesAndPlumbsTheNic() {
        String id = newInstanceId();
        NicSpec nic = newNic();
        String userData = "#!/bin/sh\necho hello from user data\n";
        List<String> keys = List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcpdGVzdA test@one", "ssh-rsa AAAAB3Nza test@two");
        InstanceSpec spec = spec(id, host.image, 1, 96, List.of(nic), userData, keys, Map.of("hostname", "web-1"));

        InstanceStatus status = driver.launch(spec);

        assertEquals(PowerState.RUNNING, status.power(), status.detail());
        String c = container(id);
        assertEquals("1000000000 100663296 100663296 none", dockerInspect(c,
                "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NetworkMode}}"));
        assertTrue(List.of("", "no").contains(dockerInspect(c, "{{.HostConfig.RestartPolicy.Name}}")));
        assertEquals("true " + id + " " + host.runId, dockerInspect(c, "{{index .Config.Labels \"gcp.managed\"}} "
                + "{{index .Config.Labels \"gcp.instance-id\"}} {{index .Config.Labels \"gcp.label.gcptd.run\"}}"));
        assertEquals("web-1", exec(id, "hostname"));

        assertEquals(userData.trim(), exec(id, "cat", "/var/lib/gcp/user-data"));
        assertEquals(String.join("\n", keys), exec(id, "cat", "/root/.ssh/authorized_keys"));
        assertTrue(exec(id, "ls", "-ld", "/root/.ssh").startsWith("drwx------"));
        assertEquals("/root/.ssh /var/lib/gcp", dockerInspect(c, "{{range .Mounts}}{{.Destination}} {{end}}").trim()
                .lines().flatMap(l -> java.util.Arrays.stream(l.split(" "))).sorted().reduce((a, b) -> a + " " + b)
                .orElse(""), "a local engine mounts the files from this host");
        String meta = exec(id, "cat", "/var/lib/gcp/meta-data.json");
        assertTrue(meta.contains("\"instance_id\" : \"" + id + "\"") && meta.contains("\"ip_address\" : \"" + nic.ipAddress()
                + "\""), meta);

        // The NIC: moved out of the network driver's namespace into the container, as eth0.
        assertFalse(host.deviceInNamespace(nic.hostDevice()));
        String eth0 = exec(id, "ip", "addr", "show", "dev", "eth0");
        assertTrue(eth0.contains("inet " + nic.ipAddress() + "/24") && eth0.contains(nic.macAddress()), eth0);
        assertTrue(exec(id, "ip", "route").contains("default via " + host.gateway + " dev eth0"));
        assertTrue(host.pingable(nic.ipAddress()), "ping from the gateway to " + nic.ipAddress());
        assertTrue(host.httpGet(nic.ipAddress(), "/var/lib/gcp/meta-data.json").contains(id));
    }

    /**
     * An engine reached over TCP may be on another machine: this host's files cannot be mounted there, so they are
     * copied into the container. The engine here is the local one behind a loopback relay (socat).
     */
    @Test
    void aRemoteEngineGetsTheFilesCopiedIn() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process relay = new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                "UNIX-CONNECT:/var/run/docker.sock").redirectErrorStream(true).start();
        Path remoteState = Files.createDirectories(stateDir.resolve("remote"));
        try (DockerComputeDriver remote = DockerComputeDriver.open("tcp://127.0.0.1:" + port, host.netns, "",
                remoteState.toString())) {
            awaitRelay(port);
            String id = newInstanceId();
            NicSpec nic = newNic();
            InstanceSpec spec = spec(id, host.image, 1, 64, List.of(nic), "#!/bin/sh\necho copied\n",
                    List.of("ssh-ed25519 AAAA remote"), Map.of());

            assertEquals(PowerState.RUNNING, remote.launch(spec).power());

            assertEquals("#!/bin/sh\necho copied", exec(id, "cat", "/var/lib/gcp/user-data"));
            assertEquals("ssh-ed25519 AAAA remote", exec(id, "cat", "/root/.ssh/authorized_keys"));
            assertTrue(exec(id, "cat", "/var/lib/gcp/meta-data.json").contains(id));
            assertEquals("", dockerInspect(container(id), "{{range .Mounts}}{{.Destination}} {{end}}").trim(),
                    "nothing mounted from this host");
            try (var written = Files.list(remoteState)) {
                assertEquals(0, written.count());
            }
            assertTrue(host.pingable(nic.ipAddress()));
            remote.destroy(id);
            assertEquals(0, containersNamed(id));
        } finally {
            relay.destroy();
            relay.waitFor();
        }
    }

    private static void awaitRelay(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("socat did not listen on 127.0.0.1:" + port);
    }

    @Test
    void prepareStartsTheContainerWithItsFilesAndLaunchPlugsItIn() throws Exception {
        String id = newInstanceId();
        NicSpec nic = newNic();
        String userData = "#!/bin/sh\necho prepared\n";
        List<String> keys = List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcpdGVzdA test@prepare");
        InstanceSpec spec = spec(id, host.image, 1, 64, List.of(nic), userData, keys, Map.of("hostname", "early"));

        driver.prepare(spec);

        String c = container(id);
        assertEquals("running", dockerInspect(c, "{{.State.Status}}"), "started while the network is prepared");
        assertEquals("lo", exec(id, "ls", "/sys/class/net").trim(), "no NIC yet: only the loopback");
        String containerId = dockerInspect(c, "{{.Id}}");
        assertEquals(userData.trim(), copiedOut(c, "/var/lib/gcp/user-data").trim(), "the files are in already");
        assertEquals(keys.get(0), copiedOut(c, "/root/.ssh/authorized_keys").trim());
        assertTrue(copiedOut(c, "/var/lib/gcp/meta-data.json").contains("\"instance_id\" : \"" + id + "\""));
        assertTrue(host.deviceInNamespace(nic.hostDevice()), "the NIC is the launch's business");

        driver.prepare(spec);
        assertEquals(1, containersNamed(id), "preparing twice is harmless");
        assertEquals(containerId, dockerInspect(c, "{{.Id}}"));
        assertEquals("running", dockerInspect(c, "{{.State.Status}}"));

        InstanceStatus status = driver.launch(spec);

        assertEquals(PowerState.RUNNING, status.power(), status.detail());
        assertEquals(containerId, dockerInspect(c, "{{.Id}}"), "the prepared container is the one plugged in");
        assertEquals(1, containersNamed(id));
        assertFalse(host.deviceInNamespace(nic.hostDevice()));
        String eth0 = exec(id, "ip", "addr", "show", "dev", "eth0");
        assertTrue(eth0.contains("inet " + nic.ipAddress() + "/24") && eth0.contains(nic.macAddress()), eth0);
        assertEquals(userData.trim(), exec(id, "cat", "/var/lib/gcp/user-data"));
        assertEquals("early", exec(id, "hostname"));
        assertTrue(host.pingable(nic.ipAddress()), "ping from the gateway to " + nic.ipAddress());
    }

    @Test
    void aReusedAddressIsReachedAtTheNewInstanceWithinSeconds() {
        // Another port stays on the bridge, as a subnet's router leg does: the bridge keeps its carrier (without
        // it the kernel would flush the peer's neighbour entries) while the address changes hands.
        String standing = host.ensurePort(PORTS.incrementAndGet());
        check("standing port up", "ip", "-n", host.netns, "link", "set", standing, "up");
        try {
            reusedAddress();
        } finally {
            run("ip", "-n", host.netns, "link", "delete", standing);
        }
    }

    private void reusedAddress() {
        String first = newInstanceId();
        NicSpec old = newNic();
        driver.launch(simple(first, List.of(old)));
        assertTrue(host.pingable(old.ipAddress()), "the peer talks to the first owner of the address");
        assertTrue(neighbour(old.ipAddress()).contains("lladdr " + old.macAddress()), neighbour(old.ipAddress()));

        driver.destroy(first);
        String second = newInstanceId();
        int n = PORTS.incrementAndGet();
        NicSpec reused = new NicSpec(TestHost.mac(n), old.ipAddress(), 24, host.gateway, host.ensurePort(n));
        driver.launch(simple(second, List.of(reused)));

        // The new instance announced itself: the peer's entry for the address moved to its MAC, long before the
        // old entry (reachable for 15 to 45 s after the last exchange) would have been given up.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!neighbour(old.ipAddress()).contains("lladdr " + reused.macAddress()) && System.nanoTime() < deadline) {
            TestHost.sleep(50);
        }
        assertTrue(neighbour(old.ipAddress()).contains("lladdr " + reused.macAddress()),
                "the peer should know the address at its new MAC " + reused.macAddress() + ": "
                        + neighbour(old.ipAddress()));
        assertTrue(host.pingable(old.ipAddress()), "ping reaches the new owner");
        assertTrue(host.httpGet(old.ipAddress(), "/var/lib/gcp/meta-data.json").contains(second), "TCP too");
    }

    @Test
    void nothingButTheInstanceRunsInItsNetworkNamespace() throws Exception {
        String id = newInstanceId();
        NicSpec nic = newNic();
        driver.launch(simple(id, List.of(nic)));

        // Right after the launch (while the NIC announces itself): a process of the host in the instance's network
        // namespace would keep that namespace, and so the NIC and the host end of its veth pair, after the
        // instance is gone: the network driver would take the dead port for a live one, and a restart would fail.
        String pid = dockerInspect(container(id), "{{.State.Pid}}");
        java.nio.file.Path net = java.nio.file.Path.of("/proc", pid, "ns", "net");
        String instanceNet = java.nio.file.Files.readSymbolicLink(net).toString();
        String instancePids = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", pid, "ns", "pid"))
                .toString();
        List<String> strangers = new ArrayList<>();
        try (var processes = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (java.nio.file.Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (instanceNet.equals(java.nio.file.Files.readSymbolicLink(process.resolve("ns/net")).toString())
                            && !instancePids.equals(java.nio.file.Files.readSymbolicLink(process.resolve("ns/pid"))
                            .toString())) {
                        strangers.add(process.getFileName() + " " + java.nio.file.Files.readString(
                                process.resolve("cmdline")).replace('\0', ' ').strip());
                    }
                } catch (java.io.IOException gone) {
                    // ended meanwhile
                }
            }
        }
        assertEquals(List.of(), strangers, "processes in the instance's network namespace but not in the instance");

        check("docker kill", "docker", "kill", container(id));
        String portSide = TestHost.PREFIX + "p" + portOf(nic);
        // The kernel tears a namespace down in a work queue of its own: seconds on a busy host (CI saw > 10 s while
        // other tests made and removed many namespaces).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (host.deviceInNamespace(portSide) && System.nanoTime() < deadline) {
            TestHost.sleep(20);
        }
        assertFalse(host.deviceInNamespace(portSide), "the veth pair went with the instance");
    }

    /** The test namespace's neighbour entry for an address ({@code ip neigh} output), or "". */
    private static String neighbour(String address) {
        return run("ip", "-n", host.netns, "-4", "neigh", "show", address).output().strip();
    }

    /** A file of a container (started or not), read with docker cp. */
    private static String copiedOut(String container, String path) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(TestHost.PREFIX + "-cp");
        try {
            java.nio.file.Path file = dir.resolve("out");
            check("docker cp", "docker", "cp", container + ":" + path, file.toString());
            return java.nio.file.Files.readString(file);
        } finally {
            run("rm", "-rf", dir.toString());
        }
    }

    /** Launching again changes nothing at all here: the same container, not restarted (the kit checks the rest). */
    @Test
    void aSecondLaunchKeepsTheContainerAndTheCpuLimitIsCappedAtTheHostsCpus() {
        String id = newInstanceId();
        InstanceSpec spec = spec(id, host.image, 512, 32, List.of(newNic()), null, List.of(), Map.of());
        driver.launch(spec);
        long hostCpus = Long.parseLong(check("docker info", "docker", "info", "--format", "{{.NCPU}}").output());
        assertEquals(Long.toString(hostCpus * 1_000_000_000L), dockerInspect(container(id), "{{.HostConfig.NanoCpus}}"));
        String containerId = dockerInspect(container(id), "{{.Id}}");
        String startedAt = dockerInspect(container(id), "{{.State.StartedAt}}");

        driver.launch(spec);

        assertEquals(containerId, dockerInspect(container(id), "{{.Id}}"));
        assertEquals(startedAt, dockerInspect(container(id), "{{.State.StartedAt}}"));
    }

    /** A graceful stop (the kit checks stop and start themselves): the NIC goes back, the instance's files stay. */
    @Test
    void aGracefulStopHandsTheNicBackAndTheInstancesFilesSurviveIt() {
        String id = newInstanceId();
        NicSpec nic = newNic();
        InstanceSpec spec = simple(id, List.of(nic));
        driver.launch(spec);
        exec(id, "sh", "-c", "echo kept > /var/lib/gcp/user-data.done"); // what an init marks once per instance

        InstanceStatus stopped = driver.stop(id, GRACE);

        assertEquals(new InstanceStatus(id, PowerState.STOPPED, "exited normally (exit code 0)"), stopped);
        // A graceful stop hands the veth back to the network driver's namespace: the pair survives.
        assertTrue(host.deviceInNamespace(nic.hostDevice()));
        assertTrue(driver.consoleOutput(id, 4096).endsWith("gcp-term\n"), "the instance saw the TERM signal");

        host.ensurePort(portOf(nic));
        assertEquals(PowerState.RUNNING, driver.start(spec).power());
        assertTrue(host.httpGet(nic.ipAddress(), "/var/lib/gcp/meta-data.json").contains(id));
        assertEquals("kept", exec(id, "cat", "/var/lib/gcp/user-data.done"), "the instance's marks survive a stop");
    }

    /** Killed outside the platform (the kit checks the report and the start): its NIC died with it. */
    @Test
    void aStartBeforeTheNetworkIsReappliedFailsClearlyAndLeavesTheInstanceStopped() {
        String id = newInstanceId();
        NicSpec nic = newNic();
        InstanceSpec spec = simple(id, List.of(nic));
        driver.launch(spec);

        check("docker kill", "docker", "kill", container(id));

        InstanceStatus killed = driver.inspect(id).orElseThrow();
        assertEquals(new InstanceStatus(id, PowerState.STOPPED, "stopped by signal SIGKILL (exit code 137)"), killed);
        // The container's namespace died with it, and the veth pair with it.
        assertFalse(host.deviceInNamespace(nic.hostDevice()));

        DriverException e = assertThrows(DriverException.class, () -> driver.start(spec));
        assertTrue(e.getMessage().contains(nic.hostDevice()) && e.getMessage().contains("does not exist in network namespace "
                + host.netns) && e.getMessage().contains("stopped again"), e.getMessage());
        assertEquals(PowerState.STOPPED, driver.inspect(id).orElseThrow().power());
    }

    /** A reboot (the kit checks that it runs again on its NICs) restarts the same container, both NICs inside. */
    @Test
    void aRebootRestartsTheSameContainerWithItsNics() {
        String id = newInstanceId();
        NicSpec first = newNic();
        NicSpec second = new NicSpec(TestHost.mac(90 + portOf(first)), host.address(90 + portOf(first)), 24, host.gateway,
                host.ensurePort(90 + portOf(first)));
        InstanceSpec spec = simple(id, List.of(first, second));
        driver.launch(spec);
        String containerId = dockerInspect(container(id), "{{.Id}}");
        String pid = dockerInspect(container(id), "{{.State.Pid}}");

        driver.reboot(spec, GRACE);

        assertEquals(containerId, dockerInspect(container(id), "{{.Id}}"));
        assertNotEquals(pid, dockerInspect(container(id), "{{.State.Pid}}"));
        assertTrue(exec(id, "ip", "addr", "show", "dev", "eth1").contains(second.ipAddress() + "/24"));
        assertEquals(2, exec(id, "cat", "/proc/net/dev").lines().filter(l -> l.trim().startsWith("eth")).count());
    }

    /**
     * The instance type's disk is a real limit: the root disk holds what the type says and a write beyond it
     * fails. Needs Docker storage that can cap disks (btrfs with quotas: scripts/test.sh starts Docker so).
     */
    @Test
    void theRootDiskIsCappedAtTheInstanceTypesSize() {
        String storage = run("docker", "info", "-f", "{{.Driver}}").output().strip();
        Assumptions.assumeTrue(storage.equals("btrfs"), () -> "Docker's storage here is " + storage
                + ", which cannot cap a container's disk; scripts/test.sh starts Docker on btrfs with quotas");
        String id = newInstanceId();
        driver.launch(spec(id, host.image, 1, 64, List.of(newNic()), null, List.of(), Map.of())); // 1 GiB disk

        String dd = exec(id, "sh", "-c", "dd if=/dev/zero of=/big bs=1M count=1500 2>&1; sync; ls -l /big | awk '{print $5}'");
        long written = Long.parseLong(dd.lines().reduce((a, b) -> b).orElse("0").strip());
        assertTrue(dd.contains("quota") || dd.contains("No space"), "the write past the cap fails: " + dd);
        assertTrue(written <= 1024L * 1024 * 1024, "at most 1 GiB written: " + written);
        assertTrue(driver.probe().detail().contains("storage btrfs (root disks capped)"), driver.probe().detail());
    }

    /**
     * The instance's mounted /var/lib/gcp is capped too: without it, an instance could fill the worker's disk
     * past its root disk's cap. Needs the driver's default state directory on btrfs with quotas
     * (scripts/test.sh mounts one there).
     */
    @Test
    void theMountedFilesAreCappedAndGoWithTheInstance() throws Exception {
        Path defaultState = Path.of(DockerComputeDriver.DEFAULT_STATE_DIR);
        Assumptions.assumeTrue(Files.isDirectory(defaultState) && "btrfs".equals(Files.getFileStore(defaultState).type()),
                () -> defaultState + " is not on btrfs here (scripts/test.sh mounts a btrfs subvolume with quotas there)");
        String owner = TestHost.PREFIX + "-files-" + host.runId;
        Path files = defaultState.resolve(owner);
        try (DockerComputeDriver capped = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, host.netns,
                owner, defaultState.toString())) {
            String id = newInstanceId();
            assertEquals(PowerState.RUNNING, capped.launch(spec(id, host.image, 1, 64, List.of(newNic()), "#!/bin/sh\n",
                    List.of(), Map.of())).power());

            String dd = exec(id, "sh", "-c", "dd if=/dev/zero of=/var/lib/gcp/fill bs=1M count=200 2>&1; sync; "
                    + "ls -l /var/lib/gcp/fill | awk '{print $5}'");
            long written = Long.parseLong(dd.lines().reduce((a, b) -> b).orElse("0").strip());
            assertTrue(dd.contains("quota"), "the write past the cap fails: " + dd);
            assertTrue(written <= FilesQuota.LIMIT_MIB * 1024L * 1024, "at most the cap written: " + written);
            assertTrue(capped.probe().detail().contains("instance files capped at " + FilesQuota.LIMIT_MIB + " MiB"),
                    capped.probe().detail());

            capped.destroy(id);

            assertFalse(Files.exists(files.resolve(id)), "its directory (a subvolume) goes with it");
        } finally {
            InstanceFiles.remove(files);
        }
    }

    /** The mounted directories live as long as the container, like its disk: a re-created one starts afresh. */
    @Test
    void aContainerRemovedByHandIsRecreatedWithFreshFiles() {
        String id = newInstanceId();
        NicSpec nic = newNic();
        InstanceSpec spec = spec(id, host.image, 1, 64, List.of(nic), "#!/bin/sh\n", List.of(), Map.of());
        driver.launch(spec);
        exec(id, "sh", "-c", "echo ran > /var/lib/gcp/user-data.done");
        check("docker rm", "docker", "rm", "-f", container(id));
        host.ensurePort(portOf(nic)); // the network driver re-creates the port that died with the container

        assertEquals(PowerState.RUNNING, driver.launch(spec).power());

        assertEquals("absent", exec(id, "sh", "-c", "cat /var/lib/gcp/user-data.done 2>/dev/null || echo absent"),
                "the new container's init runs the user data again");
        assertEquals("#!/bin/sh", exec(id, "cat", "/var/lib/gcp/user-data"));
    }


    /** A missing image (the kit checks the refusal): docker-rootfs images are imported, never pulled. */
    @Test
    void aMissingImageIsNeverPulled() {
        String id = newInstanceId();
        String missing = "gcp-test/busybox:gcptd-not-imported-" + host.runId;
        DriverException e = assertThrows(DriverException.class,
                () -> driver.launch(spec(id, missing, 1, 64, List.of(newNic()), null, List.of(), Map.of())));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("is not imported on this host"),
                e.getMessage());
        assertFalse(run("docker", "image", "inspect", missing).ok(), "nothing was pulled");
    }

    @Test
    void imageWithoutCommandIsRefused() {
        String id = newInstanceId();
        DriverException e = assertThrows(DriverException.class,
                () -> driver.launch(spec(id, host.imageWithoutCommand, 1, 64, List.of(), null, List.of(), Map.of())));
        assertTrue(e.getMessage().contains("defines no command"), e.getMessage());
        assertEquals(0, containersNamed(id));
    }


    /** States (the kit checks running and stopped): a crash, and what this driver must not list. */
    @Test
    void aCrashIsReportedAndOnlyThisConfigurationsContainersAreListed() {
        String crashed = newInstanceId();
        driver.launch(simple(crashed, List.of()));
        check("docker kill -s USR1", "docker", "kill", "-s", "USR1", container(crashed)); // the guest exits with 3
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (driver.inspect(crashed).orElseThrow().power() == PowerState.RUNNING && System.nanoTime() < deadline) {
            TestHost.sleep(50);
        }
        // A container the platform did not make is not listed, even with the gcp prefix in its name.
        check("docker create", "docker", "create", "--label", TestHost.RUN_LABEL + "=" + host.runId,
                "--name", "gcptd-unmanaged-" + host.runId, host.image);

        Map<String, InstanceStatus> listed = new HashMap<>();
        for (InstanceStatus s : driver.list()) {
            listed.put(s.instanceId(), s);
        }

        assertEquals(new InstanceStatus(crashed, PowerState.CRASHED, "exited with code 3"), listed.get(crashed));
        assertEquals(listed.get(crashed), driver.inspect(crashed).orElseThrow());
        assertFalse(listed.containsKey("gcptd-unmanaged-" + host.runId));
        assertTrue(listed.values().stream().allMatch(s -> s.instanceId() != null));

        // Another platform on the same Docker Engine (another host namespace) does not list them: its agent
        // would take them for orphans and remove them.
        try (DockerComputeDriver other = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, "")) {
            assertTrue(other.list().stream().noneMatch(s -> listed.containsKey(s.instanceId())),
                    "another driver configuration lists none of this one's containers");
        }
    }

    /** A fork bomb in one instance cannot take every process id of the host: its type's memory bounds them. */
    @Test
    void anInstancesProcessesAreLimited() throws Exception {
        String id = newInstanceId();
        driver.launch(simple(id, List.of())); // 64 MiB: the minimum of 256 processes
        String containerId = dockerInspect(container(id), "{{.Id}}");
        Path cgroup = java.util.stream.Stream.of(Path.of("/sys/fs/cgroup/pids/docker", containerId),
                        Path.of("/sys/fs/cgroup/docker", containerId),
                        Path.of("/sys/fs/cgroup/system.slice", "docker-" + containerId + ".scope"))
                .filter(p -> Files.isRegularFile(p.resolve("pids.current"))).findFirst().orElse(null);
        Assumptions.assumeTrue(cgroup != null, "the container's pids cgroup is not where cgroupfs or systemd put it");

        // The shell stops when a fork is refused; what matters is how many processes the instance then has.
        run("docker", "exec", container(id), "sh", "-c", "i=0; while [ $i -lt 400 ]; do sleep 60 & i=$((i + 1)); done");

        long processes = Long.parseLong(Files.readString(cgroup.resolve("pids.current")).strip());
        String refused = Files.readString(cgroup.resolve("pids.events")).strip();
        assertTrue(processes <= DockerComputeDriver.MIN_PIDS, processes + " processes in the instance");
        assertTrue(processes > 200, "the limit is the type's, not lower: " + processes);
        assertTrue(refused.matches("max [1-9][0-9]*"), "forks past the limit were refused: " + refused);
    }

    /** An instance printing without end cannot fill the worker's disk: Docker keeps at most 3 MiB of its console. */
    @Test
    void theConsoleIsKeptRotatedNotWhole() throws Exception {
        String id = newInstanceId();
        driver.launch(simple(id, List.of()));

        // 6 MB on PID 1's standard output, which is the console.
        exec(id, "sh", "-c", "busybox head -c 6000000 /dev/zero | busybox tr '\\0' x | busybox fold -w 99 > /proc/1/fd/1; "
                + "echo end-of-flood > /proc/1/fd/1");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!driver.consoleOutput(id, 64).contains("end-of-flood") && System.nanoTime() < deadline) {
            TestHost.sleep(100);
        }
        assertTrue(driver.consoleOutput(id, 64).contains("end-of-flood"), "the console's tail is there");

        Path log = Path.of(dockerInspect(container(id), "{{.LogPath}}"));
        long kept = 0;
        try (var files = Files.list(log.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString())).toList()) {
                kept += Files.size(file);
            }
        }
        assertTrue(kept <= 3 * 1024 * 1024 + 64 * 1024, "at most 3 MiB of console kept, not " + kept + " bytes");
    }

}
