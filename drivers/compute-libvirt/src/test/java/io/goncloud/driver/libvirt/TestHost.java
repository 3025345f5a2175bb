package io.goncloud.driver.libvirt;

import io.goncloud.driver.compute.common.HostCommands;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real host the libvirt driver tests run on: libvirtd with QEMU (started here the way the platform's
 * hosts run it if it does not answer), the busybox-vm image built by scripts/build-vm-image.sh, and a
 * network namespace standing in for the network driver's: a bridge for the subnet with the gateway address,
 * a dnsmasq serving static leases (MAC -> address) on it, and a veth pair per NIC. Everything is named with
 * the {@value #PREFIX} prefix and removed afterwards; leftovers of interrupted runs older than
 * {@link #STALE} are removed at the start.
 */
final class TestHost {

    static final String PREFIX = "gcptl";
    static final String RUN_LABEL = "gcptl.run";
    private static final Duration STALE = Duration.ofMinutes(10);
    private static final Pattern OWN_NETNS = Pattern.compile(PREFIX + "-(\\d+)-[0-9a-f]+-host");
    /** Domains of test instances: gcp-gcptl-<epoch>-<hex>-<n>. */
    private static final Pattern OWN_DOMAIN = Pattern.compile("gcp-(" + PREFIX + "-(\\d+)-[0-9a-f]+-\\d+)");
    static final Path IMAGE = Path.of(System.getProperty("gcp.test.vm-image", "/var/cache/gcp/vm-image/busybox-vm.qcow2"));

    final String runId = Instant.now().getEpochSecond() + "-" + HexFormat.of().toHexDigits(
            ThreadLocalRandom.current().nextInt()).substring(0, 6);
    /** 4 hex digits of the run in device names, which live in the root namespace while attached. */
    final String tag = runId.substring(runId.length() - 4);
    final String netns = PREFIX + "-" + runId + "-host";
    final String subnetPrefix = "10." + ThreadLocalRandom.current().nextInt(1, 255) + "."
            + ThreadLocalRandom.current().nextInt(0, 256) + ".";
    final String gateway = subnetPrefix + "1";
    static final String BRIDGE = "gcptlbr0";
    static final int MAX_PORTS = 40;
    private Process dnsmasq;
    private Path work;

    /** Why the tests cannot run here, or null. */
    static String unavailableReason() {
        if (uid() != 0) {
            return "not root: the tests create network namespaces and run libvirt's system instance";
        }
        if (!onPath("virsh") || !onPath("libvirtd") || !onPath("qemu-system-x86_64")) {
            return "libvirt/QEMU are not installed (scripts/lib.sh start_libvirt installs qemu-system-x86, qemu-utils, "
                    + "libvirt-daemon-system)";
        }
        if (!onPath("dnsmasq")) {
            return "dnsmasq is not installed (apt-get install dnsmasq-base)";
        }
        if (libvirtAnswers()) {
            return null;
        }
        return startLibvirtd();
    }

    static boolean libvirtAnswers() {
        return run("virsh", "-c", "qemu:///system", "version").ok();
    }

    /** Starts virtlogd and libvirtd as scripts/lib.sh does and waits for them; the reason if it fails. */
    static String startLibvirtd() {
        try {
            Files.createDirectories(Path.of("/var/log/libvirt"));
        } catch (IOException e) {
            return "cannot create /var/log/libvirt: " + e.getMessage();
        }
        if (!run("pgrep", "-x", "virtlogd").ok()) {
            run("virtlogd", "-d");
        }
        if (!run("pgrep", "-x", "libvirtd").ok()) {
            run("libvirtd", "-d");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (libvirtAnswers()) {
                return null;
            }
            sleep(200);
        }
        return "started libvirtd, but 'virsh -c qemu:///system version' did not answer within 60 s";
    }

    /** Restarts libvirtd (the daemon the tests use) and waits until it answers again. */
    static void restartLibvirtd() {
        String pids = run("pgrep", "-x", "libvirtd").output().trim();
        for (String pid : pids.split("\\s+")) {
            if (!pid.isBlank()) {
                check("kill libvirtd", "kill", pid);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run("pgrep", "-x", "libvirtd").ok() && System.nanoTime() < deadline) {
            sleep(100);
        }
        String reason = startLibvirtd();
        if (reason != null) {
            throw new AssertionError(reason);
        }
    }

    /** Builds (or reuses) the busybox-vm image with the platform's script; the reason if it cannot. */
    static String buildImage() {
        Path script = Path.of("../../scripts/build-vm-image.sh").toAbsolutePath().normalize();
        if (!Files.isExecutable(script)) {
            return script + " is missing";
        }
        HostCommands.Result r = HostCommands.run(List.of(script.toString(), IMAGE.toString()), Duration.ofMinutes(10));
        return r.ok() && Files.isRegularFile(IMAGE) ? null : "building the VM image failed: " + r.describe();
    }

    /** The namespace standing in for the network driver's, with the subnet's DHCP server. */
    void create() throws IOException {
        work = Files.createTempDirectory(PREFIX + "-" + runId);
        // dnsmasq reads its hosts file after dropping root for nobody.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        check("ip netns add", "ip", "netns", "add", netns);
        check("lo up", "ip", "-n", netns, "link", "set", "lo", "up");
        check("bridge", "ip", "-n", netns, "link", "add", BRIDGE, "type", "bridge");
        check("gateway", "ip", "-n", netns, "addr", "add", gateway + "/24", "dev", BRIDGE);
        check("bridge up", "ip", "-n", netns, "link", "set", BRIDGE, "up");
        StringBuilder hosts = new StringBuilder();
        for (int n = 1; n <= MAX_PORTS; n++) {
            hosts.append(mac(n)).append(',').append(address(n)).append('\n');
        }
        Files.writeString(work.resolve("hosts"), hosts);
        List<String> argv = List.of("ip", "netns", "exec", netns, "dnsmasq", "--keep-in-foreground",
                "--conf-file=/dev/null", "--port=0", "--interface=" + BRIDGE, "--bind-interfaces",
                "--dhcp-range=" + subnetPrefix + "0,static,255.255.255.0,1h", "--dhcp-hostsfile=" + work.resolve("hosts"),
                "--dhcp-option=option:router," + gateway, "--dhcp-leasefile=" + work.resolve("leases"),
                "--pid-file=" + work.resolve("dnsmasq.pid"), "--dhcp-authoritative", "--log-facility=" + work.resolve("dnsmasq.log"));
        dnsmasq = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("dnsmasq.out").toFile())
                .redirectInput(new File("/dev/null")).start();
        sleep(300);
        if (!dnsmasq.isAlive()) {
            throw new IllegalStateException("dnsmasq exited: " + Files.readString(work.resolve("dnsmasq.out")));
        }
    }

    /** The DHCP server's log, for failure messages. */
    String dnsmasqLog() {
        try {
            String log = Files.readString(work.resolve("dnsmasq.log"));
            return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
        } catch (IOException | RuntimeException e) {
            return "(no dnsmasq log: " + e + ")";
        }
    }

    /** What the network driver's apply does for one port: the veth pair, its port end on the subnet's bridge. */
    String ensurePort(int n) {
        String instanceSide = instanceSide(n);
        String portSide = PREFIX + tag + "p" + n;
        boolean haveInstance = run("ip", "-n", netns, "link", "show", "dev", instanceSide).ok()
                || run("ip", "link", "show", "dev", instanceSide).ok();
        boolean havePort = run("ip", "-n", netns, "link", "show", "dev", portSide).ok();
        if (!(haveInstance && havePort)) {
            run("ip", "-n", netns, "link", "delete", portSide);
            run("ip", "-n", netns, "link", "delete", instanceSide);
            check("veth", "ip", "-n", netns, "link", "add", instanceSide, "type", "veth", "peer", "name", portSide);
        }
        check("port on bridge", "ip", "-n", netns, "link", "set", portSide, "master", BRIDGE);
        check("port up", "ip", "-n", netns, "link", "set", portSide, "up");
        return instanceSide;
    }

    String instanceSide(int n) {
        return PREFIX + tag + "i" + n;
    }

    String address(int n) {
        return subnetPrefix + (10 + n);
    }

    static String mac(int n) {
        return String.format("52:54:00:7e:00:%02x", n);
    }

    boolean deviceInNamespace(String device) {
        return run("ip", "-n", netns, "link", "show", "dev", device).ok();
    }

    static boolean deviceInRoot(String device) {
        return run("ip", "link", "show", "dev", device).ok();
    }

    /** One TCP connection from the subnet's namespace to ip:port; what the server sent, or null. */
    String tcp(String ip, int port, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            HostCommands.Result r = run("ip", "netns", "exec", netns, "busybox", "nc", "-w", "2", ip, Integer.toString(port));
            if (r.ok() && !r.output().isBlank()) {
                return r.output();
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        return null;
    }

    /** Removes what interrupted earlier runs left: test domains (through the driver), namespaces. */
    void removeStaleLeftovers(LibvirtComputeDriver driver, Path stateDir) throws IOException {
        long now = Instant.now().getEpochSecond();
        List<String> names = new ArrayList<>(List.of(
                run("virsh", "-c", "qemu:///system", "list", "--all", "--name").output().split("\\s+")));
        // An interrupted launch may have left files and bridges without a domain.
        try (var dirs = Files.list(stateDir)) {
            dirs.forEach(d -> names.add(d.getFileName().toString()));
        }
        for (String name : names) {
            Matcher m = OWN_DOMAIN.matcher(name.trim());
            if (m.matches() && now - Long.parseLong(m.group(2)) > STALE.toSeconds()) {
                try {
                    driver.destroy(m.group(1));
                } catch (RuntimeException e) {
                    System.err.println("cannot remove stale test instance " + m.group(1) + ": " + e.getMessage());
                }
            }
        }
        for (String ns : netnsList()) {
            Matcher m = OWN_NETNS.matcher(ns);
            if (m.matches() && now - Long.parseLong(m.group(1)) > STALE.toSeconds()) {
                run("ip", "netns", "delete", ns);
            }
        }
    }

    /** Removes everything this run made (instances first, by the caller). */
    void removeAll() {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            try {
                dnsmasq.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int n = 1; n <= MAX_PORTS; n++) {
            if (deviceInRoot(instanceSide(n))) {
                run("ip", "link", "delete", instanceSide(n));
            }
        }
        if (netnsList().contains(netns)) {
            run("ip", "netns", "delete", netns);
        }
        if (work != null) {
            run("rm", "-rf", work.toString());
        }
    }

    static HostCommands.Result run(String... argv) {
        return HostCommands.run(List.of(argv));
    }

    static HostCommands.Result check(String what, String... argv) {
        return HostCommands.check(what, List.of(argv));
    }

    private static List<String> netnsList() {
        List<String> names = new ArrayList<>();
        for (String line : run("ip", "netns", "list").output().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static boolean onPath(String program) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
