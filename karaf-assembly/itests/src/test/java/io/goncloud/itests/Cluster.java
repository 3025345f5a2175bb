package io.goncloud.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The three-host simulation of {@code scripts/cluster.sh}, driven from a test: the controller (gcpc-ctl) and two
 * workers (gcpc-w1, gcpc-w2), each in its network namespace with its own Karaf, the workers with their own Docker
 * Engine. Everything here goes through the script, so the test exercises exactly what an operator runs.
 */
final class Cluster {

    static final String CONTROLLER = "gcpc-ctl";
    static final String INTERNET = "gcpc-inet";
    static final List<String> WORKERS = List.of("gcpc-w1", "gcpc-w2");
    static final int API_PORT = 18080;

    private final Path repository;
    private final Path log;

    Cluster(Path repository, Path log) {
        this.repository = repository;
        this.log = log;
    }

    String apiBase() {
        return "http://127.0.0.1:" + API_PORT + "/api/v1";
    }

    String adminPassword() throws IOException {
        return Files.readString(repository.resolve("run/cluster/" + CONTROLLER + "/data/gcp/initial-admin-password"))
                .strip();
    }

    /** {@code scripts/cluster.sh up} with the distributions this build made. */
    void up() {
        script(900, "up");
    }

    void down() {
        script(300, "down");
    }

    /** {@code kill -9} of a host's Karaf JVM (and with the controller's, its embedded broker). */
    void kill(String host) {
        script(60, "kill", host);
    }

    /** Starts a host's Karaf again on its kept data; for the controller, until its API answers. */
    void start(String host) {
        script(300, "start", host);
    }

    /** A Karaf shell command on a host (its bin/gcp-shell, over SSH inside its namespace): "exit code: output". */
    String shell(String host, String command) {
        return in(host, repository.resolve("run/cluster/" + host + "/bin/gcp-shell").toString(), command);
    }

    /** A command inside a host's network namespace; the result is "exit code: output". */
    static String in(String host, String... command) {
        List<String> line = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + host));
        line.addAll(Arrays.asList(command));
        return exec(line.toArray(String[]::new));
    }

    /** The docker CLI against a worker's own Docker Engine. */
    static String docker(String worker, String... args) {
        List<String> line = new ArrayList<>(List.of("docker", "-H",
                "unix:///run/gcp/cluster/" + worker + "/docker/docker.sock"));
        line.addAll(Arrays.asList(args));
        return exec(line.toArray(String[]::new));
    }

    private void script(int timeoutSeconds, String... args) {
        List<String> line = new ArrayList<>(List.of(repository.resolve("scripts/cluster.sh").toString()));
        line.addAll(Arrays.asList(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(line).directory(repository.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // The distributions are this build's own (the reactor made them before this module).
            builder.environment().put("GCP_SKIP_BUILD", "1");
            builder.environment().put("GCP_CLUSTER_PORT", Integer.toString(API_PORT));
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("scripts/cluster.sh " + String.join(" ", args) + " took over "
                        + timeoutSeconds + " s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("scripts/cluster.sh " + String.join(" ", args) + " failed (exit "
                        + process.exitValue() + "): " + tail(log));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run scripts/cluster.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Runs a command; the result is "exit code: output". */
    static String exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(new File("/dev/null")).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "-1: timed out";
            }
            return process.exitValue() + ": " + new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "-1: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1: interrupted";
        }
    }
}
