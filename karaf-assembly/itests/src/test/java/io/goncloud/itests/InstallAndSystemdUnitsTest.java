package io.goncloud.itests;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * scripts/install.sh and the systemd units of scripts/systemd against the built distributions, below a directory
 * of its own (GCP_INSTALL_ROOT: no packages, nothing in the host's /opt or /etc, no PostgreSQL: the controller is
 * installed with --database h2). The units are checked with systemd-analyze verify, and the worker's unit is run
 * the way systemd runs it: its exact ExecStart and ExecStop command lines, with /opt/gcp-worker being the
 * installed copy in a private mount namespace (systemd is not PID 1 on the build machines).
 */
public class InstallAndSystemdUnitsTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("gcp.repository", "../..")).toAbsolutePath().normalize();
    private static Path root;
    private static String firstWorkerRun;
    private static String secondWorkerRun;

    @BeforeClass
    public static void installBothTwice() throws Exception {
        Assume.assumeTrue("needs root (mount namespaces)", "0".equals(run(List.of("id", "-u"), Map.of()).output.strip()));
        Files.createDirectories(Path.of("target"));
        root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gcp-install-");
        firstWorkerRun = install("worker", System.getProperty("gcp.worker.distribution"),
                "--controller", "192.0.2.10", "--underlay-address", "192.0.2.21", "--host-id", "gcpit-worker-1");
        Files.writeString(root.resolve("opt/gcp-worker/data/gcpit-marker"), "kept");
        // Run again with fewer options: nothing is unpacked again, the id and the underlay address are kept.
        secondWorkerRun = install("worker", System.getProperty("gcp.worker.distribution"), "--controller", "192.0.2.10:61617");
        install("controller", System.getProperty("gcp.controller.distribution"), "--address", "192.0.2.10", "--database", "h2");
        install("controller", System.getProperty("gcp.controller.distribution"), "--database", "h2");
    }

    @AfterClass
    public static void removeInstallation() throws IOException {
        if (root != null) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    public void installWritesTheConfigurationAndIsIdempotent() throws Exception {
        Path worker = root.resolve("opt/gcp-worker/etc");
        assertEquals("tcp://192.0.2.10:61617", cfg(worker.resolve("io.goncloud.messaging.cfg"), "broker.url"));
        assertEquals("false", cfg(worker.resolve("io.goncloud.broker.cfg"), "embedded"));
        assertEquals("the broker's credentials go there: root only", "rw-------", java.nio.file.attribute.PosixFilePermissions
                .toString(Files.getPosixFilePermissions(worker.resolve("io.goncloud.messaging.cfg"))));
        assertEquals("gcpit-worker-1", cfg(worker.resolve("io.goncloud.agent.cfg"), "host.id"));
        assertEquals("192.0.2.21", cfg(worker.resolve("io.goncloud.agent.cfg"), "underlay.address"));
        assertTrue(firstWorkerRun, firstWorkerRun.contains("installing gcp-worker-"));
        assertTrue(secondWorkerRun, secondWorkerRun.contains("already holds gcp-worker-"));
        assertTrue(secondWorkerRun, secondWorkerRun.contains("systemd is not running here"));
        assertEquals("kept", Files.readString(root.resolve("opt/gcp-worker/data/gcpit-marker")));
        assertFalse("a worker holds no database configuration",
                Files.exists(worker.resolve("org.ops4j.datasource-gcp.cfg")));

        Path controller = root.resolve("opt/gcp-controller/etc");
        assertEquals("192.0.2.10", cfg(controller.resolve("io.goncloud.broker.cfg"), "acceptor.host"));
        assertEquals("tcp://192.0.2.10:61616", cfg(controller.resolve("io.goncloud.messaging.cfg"), "broker.url"));

        for (String unit : List.of("gcp-worker.service", "gcp-controller.service")) {
            assertEquals(unit, Files.readString(REPOSITORY.resolve("scripts/systemd/" + unit)),
                    Files.readString(root.resolve("etc/systemd/system/" + unit)));
        }
    }

    @Test
    public void unitsPassSystemdAnalyzeVerify() throws Exception {
        Assume.assumeTrue("systemd-analyze is missing (Debian package systemd)",
                run(List.of("sh", "-c", "command -v systemd-analyze"), Map.of()).exit == 0);
        Result verify = inOwnOpt("systemd-analyze verify \"$GCP_UNITS\"/gcp-worker.service \"$GCP_UNITS\"/gcp-controller.service",
                Map.of("GCP_UNITS", root.resolve("etc/systemd/system").toString()));
        assertEquals(verify.output, 0, verify.exit);
        assertEquals("no warnings", "", verify.output.strip());
    }

    @Test
    public void workerUnitStartsAndStopsAsSystemdDoes() throws Exception {
        Map<String, String> unit = unit(root.resolve("etc/systemd/system/gcp-worker.service"));
        assertEquals("simple", unit.get("Type"));
        assertEquals("process", unit.get("KillMode"));
        assertEquals("0 143", unit.get("SuccessExitStatus"));
        assertEquals("on-failure", unit.get("Restart"));
        // The test's own ports and a worker that leaves this host alone: only configuration, not the unit, differs.
        Path etc = root.resolve("opt/gcp-worker/etc");
        Path state = root.resolve("worker-state");
        appendCfg(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(Distributions.freePort()));
        appendCfg(etc.resolve("io.goncloud.agent.cfg"), "enabled", "false");
        appendCfg(etc.resolve("io.goncloud.agent.cfg"), "instances.enabled", "false");
        appendCfg(etc.resolve("io.goncloud.messaging.cfg"), "broker.url", "tcp://127.0.0.1:" + Distributions.freePort());
        appendCfg(etc.resolve("io.goncloud.driver.docker.cfg"), "owner", "gcpit-unit-" + ProcessHandle.current().pid());
        appendCfg(etc.resolve("io.goncloud.driver.docker.cfg"), "state.dir", state.resolve("docker").toString());
        appendCfg(etc.resolve("io.goncloud.driver.libvirt.cfg"), "uri", "test:///default");
        appendCfg(etc.resolve("io.goncloud.driver.libvirt.cfg"), "state.dir", state.resolve("libvirt").toString());

        Map<String, String> environment = new LinkedHashMap<>();
        String assignment = unit.get("Environment");
        environment.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        environment.put("GCP_CWD", unit.get("WorkingDirectory"));
        environment.put("GCP_EXEC_START", unit.get("ExecStart"));
        Path journal = root.resolve("journal.log");
        Process main = start(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                ownOpt() + " && cd \"$GCP_CWD\" && exec $GCP_EXEC_START", "sh", root.resolve("opt").toString()),
                environment, journal);
        try {
            String pid = String.valueOf(main.pid());
            // Up: the log reaching the journal says the boot features (gcp-worker, the drivers) are installed, and
            // Karaf answers bin/status.
            boolean up = Distributions.eventually(Duration.ofSeconds(120), () -> main.isAlive()
                    && bootFeaturesDone(read(journal))
                    && run(List.of("nsenter", "--target", pid, "--mount", "--", "/opt/gcp-worker/bin/status"), Map.of()).exit == 0);
            assertTrue("the worker came up; its console:\n" + read(journal), up);
            assertFalse(read(journal), read(journal).contains("Error installing boot feature"));

            // systemctl stop: ExecStop, then SIGTERM to the main process only (KillMode=process) if it is still
            // there, then SIGKILL after TimeoutStopSec.
            Instant stopping = Instant.now();
            Result stop = run(List.of("nsenter", "--target", pid, "--mount", "--", "sh", "-c", unit.get("ExecStop")), Map.of());
            assertEquals(stop.output, 0, stop.exit);
            long timeout = Long.parseLong(unit.get("TimeoutStopSec"));
            if (!main.waitFor(5, TimeUnit.SECONDS)) {
                main.destroy();
            }
            assertTrue("stopped within TimeoutStopSec", main.waitFor(timeout, TimeUnit.SECONDS));
            Set<String> success = Set.of(unit.get("SuccessExitStatus").split(" "));
            assertTrue("exit status " + main.exitValue() + " is a success for systemd",
                    success.contains(String.valueOf(main.exitValue())));
            System.out.println("gcp-worker.service stopped in " + Duration.between(stopping, Instant.now()).toMillis()
                    + " ms with exit status " + main.exitValue());
        } finally {
            if (main.isAlive()) {
                main.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String install(String role, String distribution, String... options) throws Exception {
        assertTrue("no " + role + " distribution at " + distribution, Files.isRegularFile(Path.of(distribution)));
        List<String> command = new ArrayList<>(List.of(REPOSITORY.resolve("scripts/install.sh").toString(), role));
        command.addAll(List.of(options));
        Result result = run(command, Map.of("GCP_INSTALL_ROOT", root.toString(), "GCP_INSTALL_DIST", distribution));
        assertEquals(result.output, 0, result.exit);
        return result.output;
    }

    /** Shell words that make /opt/gcp-worker and /opt/gcp-controller the installed copies ($1: their /opt). */
    private static String ownOpt() {
        return "mount -t tmpfs gcp-itest /opt && mkdir /opt/gcp-worker /opt/gcp-controller"
                + " && mount --bind \"$1/gcp-worker\" /opt/gcp-worker && mount --bind \"$1/gcp-controller\" /opt/gcp-controller";
    }

    private static Result inOwnOpt(String script, Map<String, String> environment) throws Exception {
        return run(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", ownOpt() + " && " + script,
                "sh", root.resolve("opt").toString()), environment);
    }

    /** The [Service] settings of a unit file (the last assignment of a key wins, as for systemd's single-valued ones). */
    private static Map<String, String> unit(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && equals > 0) {
                settings.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
            }
        }
        return settings;
    }

    private static String cfg(Path file, String key) throws IOException {
        String value = null;
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.strip().startsWith("#") && equals > 0 && line.substring(0, equals).strip().equals(key)) {
                value = line.substring(equals + 1).strip();
            }
        }
        return value;
    }

    private static void appendCfg(Path file, String key, String value) throws IOException {
        Files.writeString(file, "\n" + key + " = " + value + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static boolean bootFeaturesDone(String log) {
        int boot = log.indexOf("gcp-worker/[");
        return boot >= 0 && log.indexOf("FeaturesServiceImpl - Done.", boot) >= 0;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static Process start(List<String> command, Map<String, String> environment, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static Result run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + "\n(timed out)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
