package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.goncloud.driver.libvirt.TestHost.check;
import static io.goncloud.driver.libvirt.TestHost.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver against a real libvirtd with QEMU (TCG on machines without usable KVM), real network namespaces,
 * veth devices, a DHCP server and traffic. The test plays the network driver: its namespace holds the
 * subnet's bridge with the gateway address and a dnsmasq with static leases, and per NIC a veth pair whose
 * instance end is the NicSpec's host device. Two tiny VMs (192 MiB, busybox-vm) boot in parallel; each
 * scenario step runs on both at once where it can, to keep the class within a few minutes.
 */
class LibvirtComputeDriverTest {

    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcpdGVzdGtleQ gcptl@test";

    private static TestHost host;
    private static LibvirtComputeDriver driver;
    private static Path stateDir;
    /** The image converted to raw: B boots from it (an overlay on a raw backing file). */
    private static Path rawImage;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final List<String> LAUNCHED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        String reason = TestHost.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "libvirt driver tests skipped: " + reason);
        String imageReason = TestHost.buildImage();
        Assumptions.assumeTrue(imageReason == null, () -> "libvirt driver tests skipped: " + imageReason);
        host = new TestHost();
        stateDir = Path.of("target", "gcptl-instances").toAbsolutePath();
        Files.createDirectories(stateDir);
        rawImage = Path.of("target", "gcptl-busybox-vm.img").toAbsolutePath();
        check("qemu-img convert", "qemu-img", "convert", "-f", "qcow2", "-O", "raw", TestHost.IMAGE.toString(),
                rawImage.toString());
        driver = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, host.netns, stateDir, "auto");
        host.removeStaleLeftovers(driver, stateDir);
        host.create();
    }

    @AfterAll
    static void tearDown() {
        if (driver != null) {
            for (String id : LAUNCHED) {
                try {
                    driver.destroy(id);
                } catch (RuntimeException e) {
                    System.err.println("cannot destroy " + id + ": " + e.getMessage());
                }
            }
            driver.close();
        }
        if (host != null) {
            host.removeAll();
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static String newInstanceId() {
        String id = TestHost.PREFIX + "-" + host.runId + "-" + SEQ.incrementAndGet();
        LAUNCHED.add(id);
        return id;
    }

    private static NicSpec newNic(int port) {
        return new NicSpec(TestHost.mac(port), host.address(port), 24, host.gateway, host.ensurePort(port));
    }

    private static InstanceSpec spec(String id, Path image, String format, List<NicSpec> nics, String userData,
                                     List<String> keys) {
        Map<String, String> labels = new HashMap<>();
        labels.put(TestHost.RUN_LABEL, host.runId);
        labels.put("hostname", "vm-" + id.substring(id.lastIndexOf('-') + 1));
        return new InstanceSpec(id, new ImageRef("img-busybox-vm", format, image.toString()), 1, 192, 1, nics, userData,
                keys, labels);
    }

    /** Waits until the console shows {@code marker} at least {@code times} times; returns the console. */
    private static String awaitConsole(String id, String marker, int times, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String console;
        do {
            console = driver.consoleOutput(id, 1 << 20);
            if (count(console, marker) >= times) {
                return console;
            }
            TestHost.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("instance " + id + ": '" + marker + "' not seen " + times + "x on the console within "
                + within.toSeconds() + " s; console:\n" + console + "\ndnsmasq log:\n" + host.dnsmasqLog());
    }

    private static int count(String s, String marker) {
        int n = 0;
        for (int i = s.indexOf(marker); i >= 0; i = s.indexOf(marker, i + 1)) {
            n++;
        }
        return n;
    }

    private static String virsh(String... args) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        argv.addAll(List.of(args));
        return check("virsh", argv.toArray(String[]::new)).output();
    }

    private static long seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    private static <T> T timed(String what, Supplier<T> step) {
        long t0 = System.nanoTime();
        T r = step.get();
        System.out.printf("[gcptl] %s: %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
        return r;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void infoProbeAndAccelerator() throws Exception {
        assertEquals("libvirt", driver.info().name());
        assertEquals(DriverKind.COMPUTE, driver.info().kind());
        assertTrue(driver.info().has("image-format:qcow2") && driver.info().has("image-format:raw"));
        // The probe's verdict, in the capabilities once it has answered (accelerator() waits for it; info() before it
        // may name none): on a host without a /dev/kvm that runs guests, TCG.
        String accelerator = driver.accelerator();
        assertTrue(driver.info().has("accelerator:" + accelerator), driver.info().toString());
        if (!Files.exists(Path.of("/dev/kvm"))) {
            assertEquals("tcg", driver.accelerator());
            assertEquals("/dev/kvm is absent", driver.acceleratorDetail());
        }
        System.out.println("[gcptl] accelerator " + driver.accelerator() + ": " + driver.acceleratorDetail());

        HealthReport ok = driver.probe();
        assertTrue(ok.usable(), ok.detail());
        assertTrue(ok.detail().startsWith("libvirt ") && ok.detail().contains(" at qemu:///system; accelerator "),
                ok.detail());

        // The probe's test guest: its marker arrives under TCG (here KVM is what decides, but the boot sector
        // is the same), and KVM on a host without it fails at once rather than hanging.
        String qemu = LibvirtComputeDriver.qemuBinary();
        assertNotNull(qemu);
        assertEquals(null, AcceleratorProbe.bootsWith(qemu, "tcg", Duration.ofSeconds(20)));
        if (!Files.exists(Path.of("/dev/kvm"))) {
            String kvm = AcceleratorProbe.bootsWith(qemu, "kvm", Duration.ofSeconds(5));
            assertTrue(kvm != null && kvm.contains("QEMU exited"), kvm);
        }

        Path emptyState = Files.createTempDirectory(stateDir, "nowhere");
        try (LibvirtComputeDriver nowhere = LibvirtComputeDriver.open(
                "qemu+unix:///system?socket=/tmp/gcptl-no-such.sock", host.netns, emptyState, "tcg")) {
            HealthReport bad = nowhere.probe();
            assertFalse(bad.usable());
            assertTrue(bad.detail().contains("gcptl-no-such.sock") && bad.detail().contains("does not answer"), bad.detail());
            // Without libvirtd and without files of its own, the driver has no instances: other drivers' instances
            // (which the agent asks every driver about) are not disturbed.
            assertEquals(List.of(), nowhere.list());
            assertEquals(Optional.empty(), nowhere.inspect("gcptl-someone-elses"));
            // With an instance's files here, it cannot say and says why.
            Files.createDirectory(emptyState.resolve("gcp-gcptl-x"));
            DriverException e = assertThrows(DriverException.class, nowhere::list);
            assertTrue(e.getMessage().startsWith("Cannot list instances: libvirt at qemu+unix:///system?socket="
                    + "/tmp/gcptl-no-such.sock is not reachable"), e.getMessage());
            e = assertThrows(DriverException.class, () -> nowhere.inspect("gcptl-x"));
            assertTrue(e.getMessage().startsWith("Cannot inspect instance gcptl-x: libvirt at "), e.getMessage());
        } finally {
            run("rm", "-rf", emptyState.toString());
        }
        try (LibvirtComputeDriver noNetns = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI,
                TestHost.PREFIX + "-no-such-host", stateDir, "tcg")) {
            HealthReport bad = noNetns.probe();
            assertFalse(bad.usable());
            assertTrue(bad.detail().contains(TestHost.PREFIX + "-no-such-host"), bad.detail());
        }
    }

    @Test
    void badImagesFailClearlyAndLeaveNothing() throws Exception {
        String id = newInstanceId();
        Path missing = stateDir.resolve("no-such-image.qcow2");
        DriverException e = assertThrows(DriverException.class,
                () -> driver.launch(spec(id, missing, "qcow2", List.of(), null, List.of())));
        assertTrue(e.getMessage().startsWith("Cannot launch instance " + id + ": image img-busybox-vm")
                && e.getMessage().contains("is not on this host"), e.getMessage());
        assertEquals(Optional.empty(), driver.inspect(id));

        // Declared raw, but a qcow2 file: refused before anything is made.
        e = assertThrows(DriverException.class,
                () -> driver.launch(spec(id, TestHost.IMAGE, "raw", List.of(), null, List.of())));
        assertTrue(e.getMessage().contains("is declared 'raw' but its file is qcow2"), e.getMessage());

        e = assertThrows(DriverException.class,
                () -> driver.launch(spec(id, TestHost.IMAGE, "docker-rootfs", List.of(), null, List.of())));
        assertTrue(e.getMessage().contains("boots only qcow2 and raw"), e.getMessage());

        // A NIC whose veth the network driver has not made: the launch undoes everything it did.
        NicSpec ghost = new NicSpec(TestHost.mac(39), host.address(39), 24, host.gateway, host.instanceSide(39));
        e = assertThrows(DriverException.class,
                () -> driver.launch(spec(id, TestHost.IMAGE, "qcow2", List.of(ghost), null, List.of())));
        assertTrue(e.getMessage().startsWith("Cannot launch instance " + id + ": could not attach its network interfaces")
                && e.getMessage().contains("network device " + host.instanceSide(39) + " does not exist in network namespace "
                + host.netns), e.getMessage());
        assertEquals(Optional.empty(), driver.inspect(id));
        assertFalse(Files.exists(driver.instanceDir(id)));
        assertFalse(run("virsh", "-c", "qemu:///system", "dominfo", LibvirtComputeDriver.domainName(id)).ok());
        assertFalse(TestHost.deviceInRoot(NicPlumber.bridge(LibvirtComputeDriver.deviceId(id), 0)));

        DriverException stop = assertThrows(DriverException.class, () -> driver.stop(id, Duration.ofSeconds(1)));
        assertTrue(stop.getMessage().contains("does not exist on this host"), stop.getMessage());
        driver.destroy(id); // nothing to destroy: fine
    }

    /**
     * Two VMs through their whole life, side by side: boot from an overlay, DHCP, user data, keys and TCP;
     * a new driver object finds them; graceful and forced stops, starts with the same address and disk, a
     * reboot, a kill outside the platform, a libvirtd restart; destroy leaves nothing behind.
     */
    @Test
    void virtualMachinesLiveAndDieCleanly() throws Exception {
        String a = newInstanceId();
        String b = newInstanceId();
        NicSpec nicA = newNic(1);
        NicSpec nicB = newNic(2);
        String userDataA = "#!/bin/sh\n"
                + "echo written-by-user-data > /disk/gcp/testfile\n"
                + "echo 'nc -ll -p 8080 -e echo hello-from-$(hostname) &' > /disk/gcp/rc.local\n"
                + "echo user-data-ran-on-$(hostname)\n";
        // B ignores the power button (its watcher is killed): stopping it must force it off.
        String userDataB = "#!/bin/sh\nkillall head\necho power-button-ignored\n";
        InstanceSpec specA = spec(a, TestHost.IMAGE, "qcow2", List.of(nicA), userDataA, List.of(KEY));
        InstanceSpec specB = spec(b, rawImage, "raw", List.of(nicB), userDataB, List.of());
        byte[] imageBefore = Files.readAllBytes(TestHost.IMAGE);

        // Launch both; boot to DHCP and to a TCP answer in parallel.
        long t0 = System.nanoTime();
        CompletableFuture<InstanceStatus> launchB = CompletableFuture.supplyAsync(() -> driver.launch(specB));
        InstanceStatus launchedA = driver.launch(specA);
        assertEquals(PowerState.RUNNING, launchedA.power(), launchedA.detail());
        assertEquals(PowerState.RUNNING, launchB.get().power());
        System.out.printf("[gcptl] launch calls returned after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        CompletableFuture<String> bootB = CompletableFuture.supplyAsync(
                () -> awaitConsole(b, "gcp: user-data done", 1, BOOT));
        String consoleA = awaitConsole(a, "gcp: eth0 " + nicA.ipAddress() + "/24 router " + host.gateway, 1, BOOT);
        long dhcpSeconds = seconds(t0);
        String hello = host.tcp(nicA.ipAddress(), 8080, BOOT);
        System.out.printf("[gcptl] boot under %s: DHCP address after %d s, TCP answer after %d s%n",
                driver.accelerator(), dhcpSeconds, seconds(t0));
        assertEquals("hello-from-vm-" + a.substring(a.lastIndexOf('-') + 1), hello);
        consoleA = awaitConsole(a, "gcp: user-data done (status 0)", 1, BOOT);
        assertTrue(consoleA.contains("user-data: user-data-ran-on-vm-"), consoleA);
        assertTrue(consoleA.contains("gcp: authorized_keys 1 key(s): gcptl@test"), consoleA);
        assertTrue(consoleA.contains("instance-id " + a), consoleA);
        String consoleB = bootB.get();
        assertTrue(consoleB.contains("user-data: power-button-ignored") && consoleB.contains("gcp: eth0 " + nicB.ipAddress()),
                consoleB);

        // Launching again changes nothing.
        String uuid = virsh("domuuid", LibvirtComputeDriver.domainName(a));
        assertEquals(PowerState.RUNNING, driver.launch(specA).power());
        assertEquals(uuid, virsh("domuuid", LibvirtComputeDriver.domainName(a)));
        assertEquals(1, count(driver.consoleOutput(a, 1 << 20), "gcp: init "), "not booted again");

        // What the driver made: the domain's shape, the overlay on the image, the NIC plumbing.
        String xml = virsh("dumpxml", LibvirtComputeDriver.domainName(a));
        assertTrue(xml.contains("<vcpu placement='static'>1</vcpu>") && xml.contains("<memory unit='KiB'>196608</memory>"), xml);
        assertTrue(xml.contains("<domain type='" + ("kvm".equals(driver.accelerator()) ? "kvm" : "qemu") + "'"), xml);
        Path diskA = driver.instanceDir(a).resolve("disk.qcow2");
        String info = check("qemu-img", "qemu-img", "info", "-U", diskA.toString()).output();
        assertTrue(info.contains("backing file: " + TestHost.IMAGE) && info.contains("virtual size: 1 GiB"), info);
        String infoB = check("qemu-img", "qemu-img", "info", "-U", driver.instanceDir(b).resolve("disk.qcow2").toString())
                .output();
        assertTrue(infoB.contains("backing file: " + rawImage) && infoB.contains("backing file format: raw"), infoB);
        String devA = LibvirtComputeDriver.deviceId(a);
        assertTrue(run("ip", "link", "show", "master", NicPlumber.bridge(devA, 0)).output().contains(nicA.hostDevice()));
        assertTrue(run("ip", "link", "show", "master", NicPlumber.bridge(devA, 0)).output().contains(NicPlumber.tap(devA, 0)));
        assertFalse(host.deviceInNamespace(nicA.hostDevice()), "the veth left the network driver's namespace");

        // A new driver object (the platform restarted) finds both by name.
        try (LibvirtComputeDriver again = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, host.netns, stateDir,
                "tcg")) {
            Map<String, InstanceStatus> listed = new HashMap<>();
            again.list().forEach(s -> listed.put(s.instanceId(), s));
            assertEquals(PowerState.RUNNING, listed.get(a).power());
            assertEquals(PowerState.RUNNING, listed.get(b).power());
            assertEquals(PowerState.RUNNING, again.inspect(a).orElseThrow().power());
        }
        // Another platform on this libvirtd (another state directory) does not list them as its own, so it never
        // takes them for orphans.
        Path otherState = Files.createTempDirectory("gcplv-other-state");
        try (LibvirtComputeDriver other = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, host.netns,
                otherState, "tcg")) {
            assertTrue(other.list().stream().noneMatch(s -> s.instanceId().equals(a) || s.instanceId().equals(b)),
                    "another state directory's driver lists none of this one's domains");
        } finally {
            Files.deleteIfExists(otherState);
        }

        // Stop both at once: A shuts down on the ACPI power button, B is forced off after its grace.
        CompletableFuture<InstanceStatus> stopB = CompletableFuture.supplyAsync(
                () -> timed("forced stop of B (grace 4 s)", () -> driver.stop(b, Duration.ofSeconds(4))));
        InstanceStatus stoppedA = timed("graceful stop of A", () -> driver.stop(a, Duration.ofSeconds(60)));
        assertEquals(new InstanceStatus(a, PowerState.STOPPED, "shut down by the guest"), stoppedA);
        assertEquals(new InstanceStatus(b, PowerState.STOPPED, "forced off (destroyed)"), stopB.get());
        assertTrue(driver.consoleOutput(a, 4096).contains("gcp: power off"));
        assertEquals(stoppedA, driver.stop(a, Duration.ofSeconds(5)), "stopping a stopped instance does nothing");
        // The veth went back to the network driver's namespace, the bridge is gone.
        assertTrue(host.deviceInNamespace(nicA.hostDevice()));
        assertFalse(TestHost.deviceInRoot(NicPlumber.bridge(devA, 0)));

        // Start both again (same address, same disk: user data does not run twice; rc.local serves again),
        // then reboot A while B is killed outside the platform and started again.
        t0 = System.nanoTime();
        CompletableFuture<InstanceStatus> startB = CompletableFuture.supplyAsync(() -> driver.start(specB));
        assertEquals(PowerState.RUNNING, driver.start(specA).power());
        assertEquals(PowerState.RUNNING, startB.get().power());
        awaitConsole(a, "gcp: eth0 " + nicA.ipAddress() + "/24", 2, BOOT);
        assertEquals(hello, host.tcp(nicA.ipAddress(), 8080, BOOT));
        System.out.printf("[gcptl] start of a stopped VM to TCP answer: %d s%n", seconds(t0));
        consoleA = awaitConsole(a, "gcp: user-data already ran for " + a, 1, BOOT);
        assertEquals(1, count(consoleA, "gcp: user-data done"), "user data runs once per instance");
        awaitConsole(b, "gcp: eth0 " + nicB.ipAddress() + "/24", 2, BOOT);

        CompletableFuture<Void> killB = CompletableFuture.runAsync(() -> {
            virsh("destroy", LibvirtComputeDriver.domainName(b));
            assertEquals(new InstanceStatus(b, PowerState.STOPPED, "forced off (destroyed)"), driver.inspect(b).orElseThrow());
            host.ensurePort(2); // the agent re-applies the network, then starts the instance again
            assertEquals(PowerState.RUNNING, driver.start(specB).power());
            awaitConsole(b, "gcp: eth0 " + nicB.ipAddress() + "/24", 3, BOOT);
        });
        InstanceStatus rebooted = timed("reboot of A", () -> driver.reboot(specA, Duration.ofSeconds(60)));
        assertEquals(PowerState.RUNNING, rebooted.power(), rebooted.detail());
        awaitConsole(a, "gcp: eth0 " + nicA.ipAddress() + "/24", 3, BOOT);
        assertEquals(hello, host.tcp(nicA.ipAddress(), 8080, BOOT));
        killB.get();

        // libvirtd restarts under the running VMs: the driver reconnects and still sees them.
        TestHost.restartLibvirtd();
        assertEquals(PowerState.RUNNING, driver.inspect(a).orElseThrow().power());
        assertEquals(PowerState.RUNNING, driver.inspect(b).orElseThrow().power());
        assertEquals(2, driver.list().stream().filter(s -> s.instanceId().equals(a) || s.instanceId().equals(b)).count());

        // Destroy leaves no domain, overlay, seed, bridge, tap or moved veth behind; the image is untouched.
        CompletableFuture<Void> destroyB = CompletableFuture.runAsync(() -> driver.destroy(b));
        driver.destroy(a);
        destroyB.get();
        for (String id : List.of(a, b)) {
            assertEquals(Optional.empty(), driver.inspect(id));
            assertFalse(run("virsh", "-c", "qemu:///system", "dominfo", LibvirtComputeDriver.domainName(id)).ok());
            assertFalse(Files.exists(driver.instanceDir(id)), driver.instanceDir(id) + " is left");
            String dev = LibvirtComputeDriver.deviceId(id);
            assertFalse(TestHost.deviceInRoot(NicPlumber.bridge(dev, 0)));
            assertFalse(TestHost.deviceInRoot(NicPlumber.tap(dev, 0)));
        }
        assertFalse(TestHost.deviceInRoot(nicA.hostDevice()));
        assertFalse(TestHost.deviceInRoot(nicB.hostDevice()));
        assertTrue(host.deviceInNamespace(nicA.hostDevice()) && host.deviceInNamespace(nicB.hostDevice()),
                "the veths are back where the network driver left them");
        assertTrue(java.util.Arrays.equals(imageBefore, Files.readAllBytes(TestHost.IMAGE)), "the image is untouched");
        driver.destroy(a);
        assertThrows(DriverException.class, () -> driver.consoleOutput(a, 100));
    }
}
