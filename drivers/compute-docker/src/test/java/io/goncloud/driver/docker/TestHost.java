package io.goncloud.driver.docker;

import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.driver.compute.common.HostCommands;
import io.goncloud.driver.compute.common.testing.NetworkSide;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real host the Docker driver tests run on: a Docker Engine (started here the way the platform's
 * hosts run it if the socket does not answer), busybox test images built locally, and a network
 * namespace standing in for the network driver. Everything the tests make is named with the
 * {@value #PREFIX} prefix (namespace, containers' test label) and removed afterwards; leftovers of
 * interrupted runs older than {@link #STALE} are removed at the start.
 */
final class TestHost {

    static final String PREFIX = "gcptd";
    /** Spec label every test instance carries (stored on the container as gcp.label.gcptd.run). */
    static final String RUN_LABEL = "gcptd.run";
    static final String CONTAINER_RUN_LABEL = DockerComputeDriver.LABEL_SPEC_PREFIX + RUN_LABEL;
    private static final Duration STALE = Duration.ofMinutes(3);
    private static final Pattern OWN_NETNS = Pattern.compile(PREFIX + "-(\\d+)-[0-9a-f]+-host");

    /** Unique per run; starts with the epoch second so that stale leftovers can be recognised. */
    final String runId = Instant.now().getEpochSecond() + "-" + HexFormat.of().toHexDigits(
            ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final String netns = PREFIX + "-" + runId + "-host";
    /** The network driver's stand-in: a random 10.a.b.0/24 inside the namespace, the gateway .1 on its bridge. */
    private final NetworkSide network = new NetworkSide(PREFIX, netns);
    final String gateway = network.gateway();

    String image;
    String imageWithoutCommand;

    /** Why the Docker tests cannot run here, or null if they can. */
    static String unavailableReason() {
        long uid = uid();
        if (dockerAnswers()) {
            if (uid != 0) {
                return "not root (uid " + uid + "): the tests create network namespaces and move veth devices";
            }
            return null;
        }
        if (uid != 0) {
            return "the Docker daemon does not answer and this is not root (uid " + uid + "), so it cannot be "
                    + "started (and network namespaces cannot be created)";
        }
        if (!onPath("dockerd") || !onPath("docker")) {
            return "Docker Engine is not installed (apt-get install -y docker.io)";
        }
        return startDockerd();
    }

    static boolean dockerAnswers() {
        return onPath("docker") && run("docker", "version", "--format", "{{.Server.Version}}").ok();
    }

    /** Starts dockerd in the background as the platform's hosts run it and waits for it; the reason if it fails. */
    private static String startDockerd() {
        Path log = Path.of("target", "dockerd-test.log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            List<String> argv = new ArrayList<>();
            if (onPath("setsid")) {
                argv.add("setsid");
            }
            argv.addAll(List.of("dockerd", "--iptables=false", "--ip-forward=false", "--bridge=none", "--ip-masq=false"));
            new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(new File("/dev/null")).start();
        } catch (IOException e) {
            return "cannot start dockerd: " + e.getMessage();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (System.nanoTime() < deadline) {
            if (dockerAnswers()) {
                return null;
            }
            sleep(250);
        }
        String tail;
        try {
            List<String> lines = Files.readAllLines(log);
            tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            tail = "(no log)";
        }
        return "started dockerd, but 'docker version' did not answer within 40 s; " + log + ": " + tail;
    }

    /** Builds (once per busybox binary) the test images from a busybox-static rootfs; the reason if it cannot. */
    String buildImages() throws IOException {
        Path busybox = Path.of("/bin/busybox");
        if (!run("dpkg-query", "-W", "-f=${Status}", "busybox-static").output().contains("install ok installed")
                || !Files.isExecutable(busybox)) {
            return "busybox-static is not installed (apt-get install -y busybox-static): the test images are built "
                    + "from its static /bin/busybox";
        }
        String tag = sha256(Files.readAllBytes(busybox)).substring(0, 12);
        image = "gcp-test/busybox:gcptd-" + tag;
        imageWithoutCommand = "gcp-test/busybox:gcptd-nocmd-" + tag;
        if (run("docker", "image", "inspect", image).ok() && run("docker", "image", "inspect", imageWithoutCommand).ok()) {
            return null;
        }
        Path rootfs = Files.createTempDirectory("gcptd-rootfs");
        try {
            for (String dir : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "var", "root", "run")) {
                Files.createDirectories(rootfs.resolve(dir));
            }
            Files.copy(busybox, rootfs.resolve("bin/busybox"));
            for (String applet : List.of("sh", "ls", "cat", "ip", "nc", "sleep", "httpd", "wget", "ping", "echo",
                    "hostname", "kill", "ps", "grep", "tail", "head", "mkdir", "ifconfig", "route", "id", "env", "true")) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
            // PID 1 is the shell: it says it booted (console test), exits 0 on SIGTERM (a graceful stop) and
            // 3 on SIGUSR1 (a crash the tests can cause), and serves the root file system on port 8080.
            String cmd = "[\"/bin/sh\",\"-c\",\"echo gcp-boot $(hostname); trap 'echo gcp-term; exit 0' TERM; "
                    + "trap 'exit 3' USR1; httpd -f -p 8080 -h / & wait\"]";
            Path tar = rootfs.resolveSibling(rootfs.getFileName() + ".tar");
            try {
                check("tar the rootfs", "tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
                check("docker import", "docker", "import", "--change", "CMD " + cmd, tar.toString(), image);
                check("docker import", "docker", "import", tar.toString(), imageWithoutCommand);
            } finally {
                Files.deleteIfExists(tar);
            }
        } finally {
            run("rm", "-rf", rootfs.toString());
        }
        return null;
    }

    /** Removes what interrupted earlier runs left: test containers and namespaces older than {@link #STALE}. */
    void removeStaleLeftovers() {
        long now = Instant.now().getEpochSecond();
        HostCommands.Result containers = run("docker", "ps", "-a", "--filter", "label=" + CONTAINER_RUN_LABEL,
                "--format", "{{.ID}} {{.Label \"" + CONTAINER_RUN_LABEL + "\"}}");
        for (String line : containers.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && isStale(f[1], now)) {
                run("docker", "rm", "-f", "-v", f[0]);
            }
        }
        for (String ns : netnsList()) {
            var m = OWN_NETNS.matcher(ns);
            if (m.matches() && now - Long.parseLong(m.group(1)) > STALE.toSeconds()) {
                run("ip", "netns", "delete", ns);
            }
        }
        // Images the driver built from test tarballs: gcp-image:gcptd-<run id>-<n>.
        for (String tag : builtImageTags()) {
            if (isStale(tag.substring(PREFIX.length() + 1), now)) {
                run("docker", "rmi", "-f", DockerComputeDriver.IMAGE_REPOSITORY + ":" + tag);
            }
        }
        // Instance files of the capped-files test: <default state dir>/gcptd-files-<run id>.
        try (var owners = java.nio.file.Files.list(java.nio.file.Path.of(DockerComputeDriver.DEFAULT_STATE_DIR))) {
            for (java.nio.file.Path dir : owners.toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(PREFIX + "-files-") && isStale(name.substring((PREFIX + "-files-").length()), now)) {
                    InstanceFiles.remove(dir);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no default state directory here
        }
        // Unmanaged containers the list test creates carry the label directly.
        HostCommands.Result unmanaged = run("docker", "ps", "-a", "--filter", "label=" + RUN_LABEL,
                "--format", "{{.ID}} {{.Label \"" + RUN_LABEL + "\"}}");
        for (String line : unmanaged.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && isStale(f[1], now)) {
                run("docker", "rm", "-f", "-v", f[0]);
            }
        }
    }

    private static boolean isStale(String runId, long now) {
        try {
            return now - Long.parseLong(runId.split("-")[0]) > STALE.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Removes everything this run made. */
    void removeAll() {
        for (String label : List.of(CONTAINER_RUN_LABEL, RUN_LABEL)) {
            HostCommands.Result ids = run("docker", "ps", "-a", "-q", "--filter", "label=" + label + "=" + runId);
            for (String id : ids.output().split("\\s+")) {
                if (!id.isBlank()) {
                    run("docker", "rm", "-f", "-v", id);
                }
            }
        }
        if (netnsList().contains(netns)) {
            run("ip", "netns", "delete", netns);
        }
        for (String tag : builtImageTags()) {
            if (tag.startsWith(PREFIX + "-" + runId + "-")) {
                run("docker", "rmi", "-f", DockerComputeDriver.IMAGE_REPOSITORY + ":" + tag);
            }
        }
    }

    /** An image id for this run; the driver builds its tarball as gcp-image:&lt;id&gt;, removed by {@link #removeAll}. */
    String newImageId(int n) {
        return PREFIX + "-" + runId + "-" + n;
    }

    /** Removes every image the driver built for this image id: its tag, and any duplicate a double build left. */
    static void removeImagesOf(String imageId) {
        for (String id : imagesLabelled(imageId)) {
            run("docker", "rmi", "-f", id);
        }
    }

    /** Ids of the images carrying gcp.image-id=&lt;imageId&gt;, dangling ones included. */
    static List<String> imagesLabelled(String imageId) {
        String out = run("docker", "images", "-q", "--no-trunc", "--filter",
                "label=" + DockerComputeDriver.LABEL_IMAGE_ID + "=" + imageId).output();
        return out.isBlank() ? List.of() : List.of(out.trim().split("\\s+"));
    }

    /** Tags of the test images the driver built (gcp-image:gcptd-...), this run's and earlier ones'. */
    private static List<String> builtImageTags() {
        List<String> tags = new ArrayList<>();
        String out = run("docker", "images", "--filter", "reference=" + DockerComputeDriver.IMAGE_REPOSITORY + ":" + PREFIX
                + "-*", "--format", "{{.Tag}}").output();
        for (String tag : out.split("\\s+")) {
            if (tag.startsWith(PREFIX + "-")) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /** The namespace standing in for the network driver's: a bridge carrying the gateway address. */
    void createNamespace() {
        network.create();
    }

    /** What the network driver's (level-triggered) apply does for port {@code n}; returns its instance end. */
    String ensurePort(int n) {
        return network.ensurePort(n);
    }

    /** A NIC on port {@code n}, made as the network driver would. */
    NicSpec nic(int n) {
        return network.nic(n);
    }

    boolean deviceInNamespace(String device) {
        return network.has(device);
    }

    String address(int n) {
        return network.address(n);
    }

    static String mac(int n) {
        return NetworkSide.mac(n);
    }

    /** ICMP from the gateway's namespace, retried for up to 5 s (ARP, the container's first moments). */
    boolean pingable(String ip) {
        return network.pingable(ip, 5);
    }

    /** An HTTP GET over TCP from the gateway's namespace to the container's httpd, retried for up to 5 s. */
    String httpGet(String ip, String path) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        HostCommands.Result r;
        do {
            // busybox nc rather than wget: the static busybox's wget crashes on some hosts.
            r = run("ip", "netns", "exec", netns, "sh", "-c",
                    "printf 'GET %s HTTP/1.0\r\n\r\n' \"$1\" | busybox nc -w 2 \"$2\" 8080", "sh", path, ip);
            if (r.ok() && r.output().startsWith("HTTP/1.") && r.output().contains(" 200 ")) {
                return r.output();
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("HTTP GET " + ip + path + " from " + netns + " failed: " + r.describe());
    }

    static String dockerInspect(String container, String format) {
        return check("docker inspect", "docker", "inspect", "-f", format, container).output();
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
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) uid).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
