package io.goncloud.driver.network.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A laboratory of network namespaces for driver tests: a fake worker host, instances, VPC routers, the
 * internet, servers and connections between them. Everything it creates is named by the suite's
 * {@link LabNames} (its prefix and the JVM's pid, platform ids ending in the pid), so that leftovers of an
 * interrupted run can be told from a run in progress and removed ({@link LabNames#removeLeftovers}).
 * A driver module's tests extend it with what is their own.
 */
public class NetnsLab implements AutoCloseable {

    private final LabNames names;
    /** Random per lab: tells the namespaces and devices of one lab from another's in the same JVM. */
    protected final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffL);
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> vpcIds = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Runnable> stops = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    protected NetnsLab(LabNames names) {
        this.names = names;
    }

    /** A VPC id whose router namespace {@link #close} deletes. */
    public String vpcId() {
        String id = names.id();
        vpcIds.add(id);
        return id;
    }

    /** A new network namespace with loopback up. */
    public String namespace(String role) {
        String name = names.namespace(tag, role);
        sh("ip", "netns", "add", name);
        namespaces.add(name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * The router namespace of a VPC of this run, as a network driver makes it for {@code host}: loopback up
     * and marked with the host it serves (so that drivers of other hosts leave it alone), forwarding.
     */
    public String router(String vpcId, String host) {
        String name = "gcpr-" + vpcId;
        sh("ip", "netns", "add", name);
        sh("ip", "-n", name, "link", "set", "lo", "alias", "gcp-router@" + host, "up");
        sh("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        return name;
    }

    /**
     * Moves a port's instance side from the host into a new "instance" namespace and configures it as a
     * guest would: its address, and a default route via the subnet's gateway.
     */
    public String instance(String host, String device, String addressWithPrefix, String gateway) {
        String instance = namespace("i" + namespaces.size());
        sh("ip", "-n", host, "link", "set", device, "netns", instance);
        sh("ip", "-n", instance, "addr", "add", addressWithPrefix, "dev", device);
        sh("ip", "-n", instance, "link", "set", device, "up");
        sh("ip", "-n", instance, "route", "add", "default", "via", gateway);
        return instance;
    }

    /**
     * An "internet" namespace plugged into {@code bridge} of the host (created when missing), holding
     * {@code address} (the provider gateway) and a route to everything through it.
     */
    public String internet(String host, String bridge, String addressWithPrefix) {
        String internet = namespace("inet");
        if (!exec(List.of("ip", "-n", host, "link", "show", bridge)).ok()) {
            sh("ip", "-n", host, "link", "add", bridge, "type", "bridge");
            sh("ip", "-n", host, "link", "set", bridge, "up");
        }
        sh("ip", "-n", host, "link", "add", "inet" + tag, "type", "veth", "peer", "name", "wan0", "netns", internet);
        sh("ip", "-n", host, "link", "set", "inet" + tag, "master", bridge, "up");
        sh("ip", "-n", internet, "addr", "add", addressWithPrefix, "dev", "wan0");
        sh("ip", "-n", internet, "link", "set", "wan0", "up");
        return internet;
    }

    /**
     * Moves a port's instance side into a new "instance" namespace and brings it up unconfigured, as a guest
     * that boots with DHCP.
     */
    public String bareInstance(String host, String device) {
        String instance = namespace("i" + namespaces.size());
        sh("ip", "-n", host, "link", "set", device, "netns", instance);
        sh("ip", "-n", instance, "link", "set", device, "up");
        return instance;
    }

    /**
     * Runs a DHCP client once on {@code device} of {@code namespace} (busybox udhcpc, whose script applies
     * the lease) and returns what it applied, {@code <address>/<mask> via <router> lease <seconds>}, or null
     * when no server answered.
     */
    public String dhcp(String namespace, String device) {
        Path script = dhcpScript();
        Result result = exec(List.of("ip", "netns", "exec", namespace, "busybox", "udhcpc", "-i", device, "-n", "-q",
                "-f", "-t", "4", "-T", "1", "-s", script.toString()));
        return result.out().lines().filter(l -> l.startsWith("gcp-lease ")).map(l -> l.substring(10).strip())
                .findFirst().orElse(null);
    }

    private Path dhcpScript() {
        Path script = Path.of(System.getProperty("java.io.tmpdir"), names.namespace(tag, "udhcpc.sh"));
        if (!Files.exists(script)) {
            try {
                // udhcpc only hands the lease to its script; this one applies it as a guest's would.
                Files.writeString(script, """
                        #!/bin/sh
                        if [ "$1" = bound ]; then
                          ip addr add "$ip/$subnet" dev "$interface"
                          [ -n "$router" ] && ip route add default via "$router"
                          echo "gcp-lease $ip/$subnet via $router lease $lease"
                        fi
                        exit 0
                        """);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(script);
        }
        return script;
    }

    /**
     * A state directory for the network drivers' DHCP servers, readable by the unprivileged user dnsmasq
     * runs as; {@link #close} deletes it (after stopping everything that ran in the lab's namespaces).
     */
    public String dhcpStateDir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), names.namespace(tag, "dhcp"));
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.add(dir);
        return dir.toString();
    }

    /** A ping expected to succeed: up to three tries, so that a loaded machine cannot fail it. */
    public static boolean ping(String from, String address) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (exec(List.of("ip", "netns", "exec", from, "ping", "-n", "-q", "-c1", "-W1", address)).ok()) {
                return true;
            }
        }
        return false;
    }

    /** A ping expected to fail: a short wait, since an answer inside one machine takes microseconds. */
    public static boolean pingFails(String from, String address) {
        return !exec(List.of("ip", "netns", "exec", from, "ping", "-n", "-q", "-c1", "-W0.4", address)).ok();
    }

    /** A TCP server in {@code namespace} that answers every connection with the address it came from. */
    public void peerEchoServer(String namespace, int port) {
        start(namespace, "socat", "TCP-LISTEN:" + port + ",reuseaddr,fork", "SYSTEM:echo $SOCAT_PEERADDR");
        awaitListening(namespace, port);
    }

    /** A TCP server in {@code namespace} that sends back every line it receives, on every connection. */
    public void lineEchoServer(String namespace, int port) {
        start(namespace, "socat", "TCP-LISTEN:" + port + ",reuseaddr,fork", "EXEC:cat");
        awaitListening(namespace, port);
    }

    /** What a server at {@code address:port} says to a new connection from {@code from}, or null if none. */
    public static String tcpAnswer(String from, String address, int port, double timeoutSeconds) {
        Result result = exec(List.of("ip", "netns", "exec", from, "socat", "-t", "2", "-T" + (timeoutSeconds + 1), "-",
                "TCP:" + address + ":" + port + ",connect-timeout=" + timeoutSeconds));
        return result.ok() && !result.out().isBlank() ? result.out().strip() : null;
    }

    /** A kept-open TCP connection from {@code from}, to exchange lines over. */
    public Connection connect(String from, String address, int port) {
        return new Connection(start(from, "socat", "-", "TCP:" + address + ":" + port + ",connect-timeout=2"));
    }

    public static final class Connection {
        private final Process process;
        private final BufferedReader in;
        private final Writer out;

        private Connection(Process process) {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Sends a line and returns the answer line, or null if none comes within {@code timeout}. */
        public String exchange(String line, Duration timeout) throws IOException {
            out.write(line + "\n");
            out.flush();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                return null;
            }
        }

        public boolean alive() {
            return process.isAlive();
        }
    }

    /**
     * Sends {@code bytes} random bytes over one TCP connection from {@code from} to a sink in {@code to} listening
     * at {@code address:port}, checks that every byte arrived within {@code deadline}, and returns how long it took.
     */
    public Duration transfer(String from, String to, String address, int port, int bytes, Duration deadline)
            throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), names.namespace(tag, "blob-" + port));
        byte[] content = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(content);
        Files.write(file, content);
        files.add(file);
        Process sink = start(to, "sh", "-c", "socat -u TCP-LISTEN:" + port + ",reuseaddr STDOUT | wc -c");
        awaitListening(to, port);
        long started = System.nanoTime();
        Process source = start(from, "socat", "-u", "OPEN:" + file, "TCP:" + address + ":" + port + ",connect-timeout=2");
        boolean sent = source.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!sent) {
            fail("sending " + bytes + " bytes over TCP to " + address + " did not finish in " + deadline
                    + " (a TCP stall: with Open vSwitch, is userspace TSO on?)");
        }
        assertEquals(0, source.exitValue(), "the sender's exit status");
        assertTrue(sink.waitFor(5, TimeUnit.SECONDS), "the sink ends with the connection");
        String received = new String(sink.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(String.valueOf(bytes), received, "bytes received");
        return took;
    }

    /** Starts {@code command} in {@code namespace}; {@link #close} ends it and what it started. */
    protected Process start(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        try {
            Process process = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + full + " (is socat installed?)", e);
        }
    }

    /** Starts a long-running {@code command} in {@code namespace}; {@link #close} ends it. */
    public Process daemon(String namespace, String... command) {
        return start(namespace, command);
    }

    /** Something {@link #close} stops after the started processes and before deleting the namespaces. */
    public void stopAtClose(Runnable stop) {
        stops.add(stop);
    }

    protected static void awaitListening(String namespace, int port) {
        await(() -> !run("ip", "netns", "exec", namespace, "ss", "-Hltn", "sport = :" + port).isBlank(),
                Duration.ofSeconds(5), "a listener on port " + port + " in " + namespace);
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10); // polling interval, not a guess at how long something takes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stops.forEach(Runnable::run);
        for (String namespace : namespaces) {
            deleteNamespace(namespace);
        }
        for (String vpc : vpcIds) {
            deleteNamespace("gcpr-" + vpc);
        }
        files.forEach(NetnsLab::deleteTree);
    }

    /**
     * Ends what still runs in a namespace (a driver's DHCP server, say: it would keep the namespace alive
     * after its name is gone), then deletes it.
     */
    static void deleteNamespace(String namespace) {
        for (String pid : run("ip", "netns", "pids", namespace).lines().map(String::strip).toList()) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> p).join();
                });
            }
        }
        exec(List.of("ip", "netns", "delete", namespace));
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the names carry the pid, so a later run's leftover sweep finds it
        }
    }

    // --- commands

    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs a command that must succeed and returns its output. */
    public static String sh(String... command) {
        Result result = exec(Arrays.asList(command));
        assertEquals(0, result.exit(), () -> String.join(" ", command) + ": " + result.err());
        return result.out();
    }

    public static String run(String... command) {
        return exec(Arrays.asList(command)).out();
    }

    public static Result exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            process.getOutputStream().close();
            String out = read(process.getInputStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, out, "timed out");
            }
            return new Result(process.exitValue(), out, err.join());
        } catch (IOException e) {
            return new Result(-1, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
