package io.goncloud.driver.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A laboratory of network namespaces for driver tests: a fake worker host, instances, the internet.
 * Everything it creates is named after this JVM's pid ({@code gcpt<pid>-...}, and platform ids ending in
 * it), so that leftovers of an interrupted run can be told from a run in progress and removed.
 */
final class Lab implements AutoCloseable {

    private static final String PREFIX = "gcpt";
    private static final long PID = ProcessHandle.current().pid();
    /** Test ids: random in the part HostNames uses, the pid of the run at the end. */
    private static final Pattern TEST_ID = Pattern.compile("[0-9a-f]{8}-7e57-4000-8000-([0-9a-f]{12})");
    private static final Pattern TEST_NAMESPACE = Pattern.compile(PREFIX + "(\\d+)-.*");

    private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffL);
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> vpcIds = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** Skips the tests unless this process may make network namespaces (root, and a kernel that allows it). */
    static void assumeNamespacesWork() {
        assumeTrue("root".equals(System.getProperty("user.name")) || run("id", "-u").strip().equals("0"),
                "needs root: the tests build network namespaces, bridges and veth pairs");
        String probe = PREFIX + PID + "-probe";
        Result added = exec(List.of("ip", "netns", "add", probe));
        exec(List.of("ip", "netns", "delete", probe));
        assumeTrue(added.ok(), "'ip netns add' is impossible here: " + added.err());
    }

    /** Deletes what interrupted runs left: test namespaces and routers of test VPCs whose JVM is gone. */
    static void removeLeftovers() {
        for (String line : run("ip", "netns", "list").lines().toList()) {
            String name = line.strip().split("\\s+")[0];
            Matcher namespace = TEST_NAMESPACE.matcher(name);
            Matcher router = TEST_ID.matcher(name.startsWith("gcpr-") ? name.substring(5) : "");
            boolean stale = namespace.matches() && !alive(Long.parseLong(namespace.group(1)))
                    || router.matches() && !alive(Long.parseLong(router.group(1), 16));
            if (stale) {
                exec(List.of("ip", "netns", "delete", name));
            }
        }
    }

    private static boolean alive(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    /** A platform id for a VPC, subnet or port of this run. */
    static String id() {
        return String.format("%08x-7e57-4000-8000-%012x", ThreadLocalRandom.current().nextInt(), PID);
    }

    /** A VPC id whose router namespace {@link #close} deletes. */
    String vpcId() {
        String id = id();
        vpcIds.add(id);
        return id;
    }

    /**
     * The router namespace of a VPC of this run, as a network driver makes it for {@code host}: loopback up
     * and marked with the host it serves (so that drivers of other hosts leave it alone), forwarding.
     */
    String router(String vpcId, String host) {
        String name = "gcpr-" + vpcId;
        sh("ip", "netns", "add", name);
        sh("ip", "-n", name, "link", "set", "lo", "alias", "gcp-router@" + host, "up");
        sh("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        return name;
    }

    /** A new network namespace with loopback up. */
    String namespace(String role) {
        String name = PREFIX + PID + "-" + tag + "-" + role;
        sh("ip", "netns", "add", name);
        namespaces.add(name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * Moves a port's instance side from the host into a new "instance" namespace and configures it as a
     * guest would: its address, and a default route via the subnet's gateway.
     */
    String instance(String host, String device, String addressWithPrefix, String gateway) {
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
    String internet(String host, String bridge, String addressWithPrefix) {
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

    /** A ping expected to succeed: up to three tries, so that a loaded machine cannot fail it. */
    static boolean ping(String from, String address) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (exec(List.of("ip", "netns", "exec", from, "ping", "-n", "-q", "-c1", "-W1", address)).ok()) {
                return true;
            }
        }
        return false;
    }

    /** A ping expected to fail: a short wait, since an answer inside one machine takes microseconds. */
    static boolean pingFails(String from, String address) {
        return !exec(List.of("ip", "netns", "exec", from, "ping", "-n", "-q", "-c1", "-W0.4", address)).ok();
    }

    /** A TCP server in {@code namespace} that answers every connection with the address it came from. */
    void peerEchoServer(String namespace, int port) {
        start(namespace, "socat", "TCP-LISTEN:" + port + ",reuseaddr,fork", "SYSTEM:echo $SOCAT_PEERADDR");
        awaitListening(namespace, port);
    }

    /** A TCP server in {@code namespace} that sends back every line it receives, on every connection. */
    void lineEchoServer(String namespace, int port) {
        start(namespace, "socat", "TCP-LISTEN:" + port + ",reuseaddr,fork", "EXEC:cat");
        awaitListening(namespace, port);
    }

    /** What a server at {@code address:port} says to a new connection from {@code from}, or null if none. */
    static String tcpAnswer(String from, String address, int port, double timeoutSeconds) {
        Result result = exec(List.of("ip", "netns", "exec", from, "socat", "-t", "2", "-T" + (timeoutSeconds + 1), "-",
                "TCP:" + address + ":" + port + ",connect-timeout=" + timeoutSeconds));
        return result.ok() && !result.out().isBlank() ? result.out().strip() : null;
    }

    /** A kept-open TCP connection from {@code from}, to exchange lines over. */
    Connection connect(String from, String address, int port) {
        return new Connection(start(from, "socat", "-", "TCP:" + address + ":" + port + ",connect-timeout=2"));
    }

    static final class Connection {
        private final Process process;
        private final BufferedReader in;
        private final Writer out;

        private Connection(Process process) {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Sends a line and returns the answer line, or null if none comes within {@code timeout}. */
        String exchange(String line, Duration timeout) throws IOException {
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

        boolean alive() {
            return process.isAlive();
        }
    }

    private Process start(String namespace, String... command) {
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

    private static void awaitListening(String namespace, int port) {
        await(() -> !run("ip", "netns", "exec", namespace, "ss", "-Hltn", "sport = :" + port).isBlank(),
                Duration.ofSeconds(5), "a listener on port " + port + " in " + namespace);
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
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
        for (String namespace : namespaces) {
            exec(List.of("ip", "netns", "delete", namespace));
        }
        for (String vpc : vpcIds) {
            exec(List.of("ip", "netns", "delete", "gcpr-" + vpc));
        }
    }

    // --- commands

    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs a command that must succeed and returns its output. */
    static String sh(String... command) {
        Result result = exec(Arrays.asList(command));
        assertEquals(0, result.exit(), () -> String.join(" ", command) + ": " + result.err());
        return result.out();
    }

    static String run(String... command) {
        return exec(Arrays.asList(command)).out();
    }

    static Result exec(List<String> command) {
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

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
