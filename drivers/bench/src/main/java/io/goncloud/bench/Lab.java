package io.goncloud.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark's namespaces, processes and Open vSwitch daemons, and their removal. Names carry this
 * JVM's pid ({@code gcptb<pid>-<tag>-<role>}; platform ids {@code xxxxxxxx-be4c-4000-8000-<pid>}), so that
 * what a dead run left can be told from a run in progress (of this benchmark, or the drivers' tests,
 * whose {@code gcpt<pid>-} namespaces and {@code -7e57-} ids this never matches) and removed.
 */
final class Lab implements AutoCloseable {

    static final String PREFIX = "gcptb";
    static final long PID = ProcessHandle.current().pid();
    private static final Pattern BENCH_NAMESPACE = Pattern.compile(PREFIX + "(\\d+)-.*");
    private static final Pattern BENCH_ID = Pattern.compile("[0-9a-f]{8}-be4c-4000-8000-([0-9a-f]{12})");
    private static final Pattern OVS_DIRECTORY = Pattern.compile(PREFIX + "(\\d+)-.*-ovs");
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    static final String OVS_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

    private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffL);
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> vpcIds = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> ovsDirectories = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A platform id of this run: random where HostNames looks, this JVM's pid at the end. */
    static String id() {
        return String.format("%08x-be4c-4000-8000-%012x", ThreadLocalRandom.current().nextInt(), PID);
    }

    synchronized String vpcId() {
        String id = id();
        vpcIds.add(id);
        return id;
    }

    /** A new namespace with loopback up. */
    String namespace(String role) {
        String name = PREFIX + PID + "-" + tag + "-" + role;
        synchronized (this) {
            namespaces.add(name);
        }
        Sh.sh("ip", "netns", "add", name);
        Sh.sh("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** Moves {@code device} from {@code host} into a new instance namespace, configured as a guest would. */
    String instance(String host, String device, String addressWithPrefix, String gateway) {
        String instance = namespace("i" + namespaces.size());
        Sh.sh("ip", "-n", host, "link", "set", device, "netns", instance);
        Sh.sh("ip", "-n", instance, "addr", "add", addressWithPrefix, "dev", device);
        Sh.sh("ip", "-n", instance, "link", "set", device, "up");
        if (gateway != null) {
            Sh.sh("ip", "-n", instance, "route", "add", "default", "via", gateway);
        }
        return instance;
    }

    /** Starts {@code command} in {@code namespace} ({@code ip netns exec} execs it: the process is the command). */
    Process start(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        try {
            Process process = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            synchronized (this) {
                processes.add(process);
            }
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + full, e);
        }
    }

    /** An {@link NsAgent} JVM in {@code namespace}. */
    Agent agent(String namespace) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of("ip", "netns", "exec", namespace, java, "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), NsAgent.class.getName());
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            synchronized (this) {
                processes.add(process);
            }
            Agent agent = new Agent(process);
            agent.expect("ready");
            return agent;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    static final class Agent {
        private final BufferedReader in;
        private final Writer out;

        private Agent(Process process) {
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        void send(String line) {
            try {
                out.write(line + "\n");
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException("agent gone", e);
            }
        }

        String receive() {
            try {
                String line = in.readLine();
                if (line == null) {
                    throw new IllegalStateException("agent gone");
                }
                return line;
            } catch (IOException e) {
                throw new IllegalStateException("agent gone", e);
            }
        }

        void expect(String answer) {
            String line = receive();
            if (!line.equals(answer)) {
                throw new IllegalStateException("agent said '" + line + "', expected '" + answer + "'");
            }
        }

        void listen(int port) {
            send("listen " + port);
            expect("ok");
        }

        void close(int port) {
            send("close " + port);
            expect("ok");
        }
    }

    // --- Open vSwitch of a fake host

    /**
     * ovsdb-server with a fresh database (files in {@code $TMPDIR/<host>-ovs}) and ovs-vswitchd running inside
     * {@code host}, as the OVS driver's tests do; userspace TSO is set before ovs-vswitchd starts. Returns
     * the ovsdb remote for the driver.
     */
    String startOvs(String host) {
        Path dir = TMP.resolve(host + "-ovs");
        synchronized (this) {
            ovsDirectories.add(dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        String remote = "unix:" + dir.resolve("db.sock");
        Sh.sh("ovsdb-tool", "create", dir.resolve("conf.db").toString(), OVS_SCHEMA);
        Sh.sh("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + dir.resolve("db.sock"),
                "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "--log-file=" + dir.resolve("ovsdb-server.log"), "--detach");
        Sh.sh("ovs-vsctl", "--db=" + remote, "--timeout=10", "--no-wait", "init", "--", "set", "Open_vSwitch", ".",
                "other_config:userspace-tso-enable=true");
        Sh.sh("env", "OVS_RUNDIR=" + dir, "ip", "netns", "exec", host, "ovs-vswitchd", remote,
                "--pidfile=" + dir.resolve("ovs-vswitchd.pid"), "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"),
                "--log-file=" + dir.resolve("ovs-vswitchd.log"), "--detach");
        return remote;
    }

    private static void stopOvs(Path dir) {
        stopDaemon(dir.resolve("ovs-vswitchd.pid"));
        stopDaemon(dir.resolve("ovsdb-server.pid"));
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // best effort: the next run removes it
        }
    }

    /** Ends the daemon of a pid file if it still is the one started with files in that directory. */
    private static void stopDaemon(Path pidFile) {
        long pid;
        String cmdline;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
            cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        } catch (IOException | NumberFormatException e) {
            return; // no pid file, or gone already
        }
        if (!cmdline.contains(pidFile.getParent().toString())) {
            return; // the pid has been reused
        }
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        });
    }

    // --- clean-up

    boolean isClosed() {
        return closed.get();
    }

    /** Removes everything this run made; runs once (normal end or the shutdown hook on Ctrl-C). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Sh.cleaningUp();
        List<Process> started;
        List<Path> switches;
        List<String> names;
        synchronized (this) {
            started = new ArrayList<>(processes);
            switches = new ArrayList<>(ovsDirectories);
            names = new ArrayList<>(namespaces);
            vpcIds.forEach(vpc -> names.add("gcpr-" + vpc));
        }
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : started) {
            try {
                process.waitFor(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        switches.forEach(Lab::stopOvs);
        for (String name : names) {
            Sh.exec("ip", "netns", "delete", name);
        }
    }

    /** Removes what runs of this benchmark whose JVM is gone left: namespaces, routers, Open vSwitch daemons. */
    static int removeLeftovers() {
        int removed = 0;
        try (Stream<Path> entries = Files.list(TMP)) {
            for (Path dir : entries.toList()) {
                Matcher name = OVS_DIRECTORY.matcher(dir.getFileName().toString());
                if (name.matches() && !alive(Long.parseLong(name.group(1)))) {
                    stopOvs(dir);
                    removed++;
                }
            }
        } catch (IOException e) {
            // nothing to clean
        }
        for (String line : Sh.exec("ip", "netns", "list").out().lines().toList()) {
            String name = line.strip().split("\\s+")[0];
            Matcher namespace = BENCH_NAMESPACE.matcher(name);
            Matcher router = BENCH_ID.matcher(name.startsWith("gcpr-") ? name.substring(5) : "");
            boolean stale = namespace.matches() && !alive(Long.parseLong(namespace.group(1)))
                    || router.matches() && !alive(Long.parseLong(router.group(1), 16));
            if (stale) {
                // Processes still inside (an iperf3 server, an agent) would keep the namespace alive.
                for (String pid : Sh.exec("ip", "netns", "pids", name).out().split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                Sh.exec("ip", "netns", "delete", name);
                removed++;
            }
        }
        return removed;
    }

    private static boolean alive(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }
}
