package io.goncloud.agent;

import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroupRule;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.core.images.DefaultImageComponent;
import io.goncloud.core.persistence.ImageEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A virtual machine through the platform, beside a container (see {@link InstanceWorld}): the public image
 * busybox-vm is registered the way the platform does it ({@link DefaultImageComponent}), and the instance service
 * launches it on the worker, whose agent has the Docker and the libvirt drivers (QEMU, TCG without usable KVM).
 * The VM gets its IPAM address from the subnet's dnsmasq by DHCP, the subnet's security groups apply to it as to a
 * container, stop and start keep its address, and terminate leaves nothing behind. One VM, to keep the class
 * short (a TCG boot takes ~12 s on 2 cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmInstanceScenarioTest {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    /** Where the libvirt driver's tests build it too (scripts/test.sh builds it there). */
    private static final Path VM_IMAGE = Path.of(System.getProperty("gcp.test.vm-image",
            "/var/cache/gcp/vm-image/busybox-vm.qcow2"));
    private static final Duration BOOT = Duration.ofSeconds(180);
    /** User data: a TCP server started by /disk/gcp/rc.local, which the guest's init runs at every boot. */
    private static final String VM_USER_DATA = "#!/bin/sh\nmkdir -p /disk/gcp\n"
            + "echo 'nc -ll -p 8080 -e echo hello' > /disk/gcp/rc.local\nsync\n";

    private InstanceWorld world;
    private ComputeDriver libvirt;
    private ImageEntity vmImage;

    @BeforeAll
    void buildWorld() throws Exception {
        String libvirtFailure = script(Duration.ofMinutes(5), "bash", "-c",
                "source " + REPO.resolve("scripts/lib.sh") + " && start_libvirt");
        Assumptions.assumeTrue(libvirtFailure == null, () -> "VM scenario skipped: libvirtd cannot be started: "
                + libvirtFailure);
        String imageFailure = script(Duration.ofMinutes(10), REPO.resolve("scripts/build-vm-image.sh").toString(),
                VM_IMAGE.toString());
        Assumptions.assumeTrue(imageFailure == null && Files.isRegularFile(VM_IMAGE),
                () -> "VM scenario skipped: the VM image cannot be built: " + imageFailure);

        world = new InstanceWorld(3600);
        libvirt = world.addLibvirt(Path.of("target", "gcpta-vm-instances").toAbsolutePath());
        HealthReport probe = libvirt.probe();
        assertTrue(probe.usable(), "the libvirt driver is usable once libvirtd answers: " + probe.detail());
        vmImage = DefaultImageComponent.ensureVmImage(world.db, Path.of("target", "gcpta-vm-images").toAbsolutePath(),
                VM_IMAGE).orElseThrow(() -> new AssertionError("the image component did not register busybox-vm"));
        world.worker.heartbeat(); // the worker now declares image-format:qcow2
    }

    @AfterAll
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aVmGetsItsAddressByDhcpIsFirewalledLikeAContainerKeepsItsAddressAndLeavesNothing() {
        assertEquals("qcow2", vmImage.format);
        assertTrue(vmImage.location.endsWith(vmImage.id + ".qcow2"), "a copy in the store: " + vmImage.location);

        Subnet subnet = world.subnet("10.95.0.0/16");
        String web = world.groups.create(world.alice, new CreateSecurityGroup(subnet.vpcId(), "vm-web", "the VM")).id();
        long launched = System.nanoTime();
        Instance launchedVm = world.launch(subnet, "vm", List.of(web), vmImage.id, VM_USER_DATA);
        Instance launchedClient = world.launch(subnet, "client", null);
        Instance vm = world.awaitState(launchedVm, "running", BOOT);
        long running = System.nanoTime();
        Instance client = world.awaitState(launchedClient, "running");
        assertEquals("10.95.1.4", vm.privateIp());
        assertEquals("10.95.1.5", client.privateIp());
        assertTrue(libvirt.inspect(vm.id()).isPresent(), "the libvirt driver runs the VM");
        assertTrue(world.docker.inspect(vm.id()).isEmpty(), "not Docker");

        // DHCP from the platform's dnsmasq: the IPAM address, read on the console through the platform.
        String lease = "gcp: eth0 " + vm.privateIp() + "/24 router 10.95.1.1";
        String console = awaitConsole(vm, "gcp: ready", 1);
        long ready = System.nanoTime();
        assertTrue(console.contains(lease), () -> "the VM got its IPAM address by DHCP:\n" + console
                + diagnostics(vm, subnet));
        assertTrue(console.contains("gcp: user-data done (status 0)"), console);

        // Its group admits nothing yet; a rule opens port 8080 to the container.
        for (int i = 0; i < 3; i++) {
            assertFalse(answers(client, vm), "the VM's group admits nothing yet");
        }
        world.groups.addRule(world.alice, web, new CreateSecurityGroupRule("inbound", "tcp", 8080, 8080,
                "10.95.0.0/16", "http"));
        long ruleAdded = System.nanoTime();
        assertTrue(Namespaces.eventually(Duration.ofSeconds(30), () -> answers(client, vm)),
                "the rule opens the VM's port to the container; console:\n" + console(vm));
        long reached = System.nanoTime();
        report("launch -> running " + ms(launched, running) + ", launch -> 'gcp: ready' on the console "
                + ms(launched, ready) + ", rule -> TCP answer " + ms(ruleAdded, reached));

        // Stop (ACPI) and start: the same address, by DHCP again, and the server is back (rc.local).
        String bridge = "gcpv" + deviceId(vm.id()) + "0";
        String tap = "gcpw" + deviceId(vm.id()) + "0";
        assertTrue(link(bridge) && link(tap), "the VM's NIC bridge and tap exist while it runs");
        long stopping = System.nanoTime();
        world.instances.stop(world.alice, vm.id());
        world.awaitState(vm, "stopped");
        long stopped = System.nanoTime();
        assertFalse(link(bridge) || link(tap), "stop unplumbs the NIC");
        assertFalse(answers(client, vm));
        long starting = System.nanoTime();
        world.instances.start(world.alice, vm.id());
        Instance restarted = world.awaitState(vm, "running", BOOT);
        assertEquals(vm.privateIp(), restarted.privateIp());
        assertTrue(Namespaces.eventually(BOOT, () -> answers(client, restarted)),
                "the VM answers again on the same address; console:\n" + console(vm));
        long answeredAgain = System.nanoTime();
        String again = console(vm);
        assertTrue(count(again, lease) >= 2, "the second boot got the same lease:\n" + again);
        report("stop -> stopped " + ms(stopping, stopped) + ", start -> TCP answer (boot to TCP through the platform) "
                + ms(starting, answeredAgain));

        // Terminate: no domain, no instance directory, no NIC bridge or tap, no port.
        world.instances.terminate(world.alice, vm.id());
        world.awaitState(vm, "terminated");
        assertTrue(libvirt.inspect(vm.id()).isEmpty(), "the domain is gone");
        assertTrue(Namespaces.exec("virsh", "-c", "qemu:///system", "dominfo", "gcp-" + vm.id()).exitCode() != 0,
                "libvirt knows no such domain");
        assertFalse(Files.exists(Path.of("target", "gcpta-vm-instances", "gcp-" + vm.id())),
                "the overlay, seed and console log are gone");
        assertFalse(link(bridge) || link(tap), "no NIC bridge or tap");
        String port = HostNames.portDevice(vm.id());
        String instanceSide = HostNames.instanceSide(vm.id());
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () ->
                Namespaces.exec("ip", "-n", world.host, "link", "show", port).exitCode() != 0
                        && Namespaces.exec("ip", "-n", world.host, "link", "show", instanceSide).exitCode() != 0
                        && !link(instanceSide)), "its port veth is gone");
        assertTrue(Files.isRegularFile(Path.of(vmImage.location)), "the image stays");
        assertTrue(world.docker.inspect(client.id()).isPresent(), "the container is untouched");
    }

    // ---------------------------------------------------------------------------------------------

    /** What a DHCP or plumbing failure needs: the NIC's devices, the subnet's DHCP server and its files. */
    private String diagnostics(Instance vm, Subnet subnet) {
        StringBuilder out = new StringBuilder("\n--- diagnostics\n");
        String router = HostNames.routerNamespace(subnet.vpcId());
        String id10 = deviceId(vm.id());
        List<String[]> commands = List.of(
                new String[] {"ip", "-d", "link", "show", "dev", HostNames.instanceSide(vm.id())},
                new String[] {"ip", "-br", "link", "show", "master", "gcpv" + id10 + "0"},
                new String[] {"ip", "-n", world.host, "-d", "link", "show", "dev", HostNames.portDevice(vm.id())},
                new String[] {"ip", "-n", world.host, "-br", "link"},
                new String[] {"ip", "netns", "pids", router},
                new String[] {"sh", "-c", "for p in $(ip netns pids " + router + "); do tr '\\0' ' ' < /proc/$p/cmdline; echo; done"},
                new String[] {"sh", "-c", "ls -laR " + System.getProperty("java.io.tmpdir") + "/gcpta"
                        + ProcessHandle.current().pid() + "-world-dhcp; cat " + System.getProperty("java.io.tmpdir")
                        + "/gcpta" + ProcessHandle.current().pid() + "-world-dhcp/*/*/hosts "
                        + System.getProperty("java.io.tmpdir") + "/gcpta" + ProcessHandle.current().pid()
                        + "-world-dhcp/*/*/log"},
                new String[] {"ip", "-n", router, "-br", "addr"},
                new String[] {"ip", "netns", "exec", world.host, "nft", "list", "ruleset"});
        for (String[] c : commands) {
            out.append("$ ").append(String.join(" ", c)).append('\n').append(Namespaces.exec(c).output()).append('\n');
        }
        return out.toString();
    }

    /** Whether the container gets "hello" from the VM's TCP server on port 8080. */
    private static boolean answers(Instance from, Instance vm) {
        return Namespaces.exec("docker", "exec", "gcp-" + from.id(), "sh", "-c",
                "nc -w 2 " + vm.privateIp() + " 8080 </dev/null").output().contains("hello");
    }

    /** The VM's console, asked through the platform (a CONSOLE_OUTPUT task); empty while the worker is busy. */
    private String console(Instance vm) {
        try {
            return world.instances.consoleOutput(world.alice, vm.id()).output();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private String awaitConsole(Instance vm, String marker, int times) {
        String[] last = {""};
        boolean seen = Namespaces.eventually(BOOT, () -> count(last[0] = console(vm), marker) >= times);
        assertTrue(seen, "'" + marker + "' on the console of " + vm.id() + ":\n" + last[0]);
        return last[0];
    }

    private static int count(String s, String marker) {
        int n = 0;
        for (int i = s.indexOf(marker); i >= 0; i = s.indexOf(marker, i + 1)) {
            n++;
        }
        return n;
    }

    /** Whether the device exists in the test process's (the platform's) namespace, where libvirt plumbs. */
    private static boolean link(String device) {
        return Namespaces.exec("ip", "link", "show", "dev", device).exitCode() == 0;
    }

    /** The libvirt driver's device id of an instance: the first 10 hex digits of its UUID. */
    private static String deviceId(String instanceId) {
        return instanceId.replace("-", "").toLowerCase(Locale.ROOT).substring(0, 10);
    }

    private static String ms(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from) + " ms";
    }

    private static void report(String line) {
        System.out.println("[vm-scenario] " + line);
    }

    /** Runs a platform script; null if it succeeded, else why not (the end of its output). */
    private static String script(Duration timeout, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(REPO.toFile()).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + " s";
        }
        reader.join(5000);
        if (p.exitValue() == 0) {
            return null;
        }
        String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
        return String.join(" ", argv) + " exited " + p.exitValue() + ": "
                + (text.length() > 2000 ? text.substring(text.length() - 2000) : text);
    }
}
