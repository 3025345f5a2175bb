package io.goncloud.core.images;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default image's real /sbin/init, booted by the local Docker Engine the way the compute driver
 * does it (files copied in before the start, /sbin/init as the command): user data runs with its output
 * on the console and in /var/log/user-data.log, the TERM trap makes a stop immediate. Skipped without a
 * running Docker daemon (scripts/test.sh starts one); the image and container are removed afterwards.
 */
class BusyboxImageInDockerTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String IMAGE = "gcp-test/busybox-default:gcptc-" + RUN;
    private static final String CONTAINER = "gcptc-init-" + RUN;

    @TempDir
    static Path dir;

    @BeforeAll
    static void importTheImage() throws IOException {
        Assumptions.assumeTrue(docker("version").ok(), "needs a running Docker daemon");
        BusyboxRootfs rootfs = new BusyboxRootfs(BusyboxRootfs.DEFAULT_BUSYBOX);
        Assumptions.assumeTrue(Files.isExecutable(rootfs.busybox()) && BusyboxRootfs.isStaticallyLinked(rootfs.busybox()),
                "needs Debian's busybox-static");
        Path tar = dir.resolve("rootfs.tar");
        rootfs.writeTo(tar);
        check(docker("import", "--change", "CMD [\"/sbin/init\"]", tar.toString(), IMAGE));
    }

    @AfterAll
    static void remove() {
        docker("rm", "-f", CONTAINER);
        docker("rmi", "-f", IMAGE);
    }

    @Test
    void initRunsUserDataAndStopsAtOnce() throws IOException {
        Path files = Files.createDirectories(dir.resolve("files/var/lib/gcp"));
        Files.writeString(files.resolve("user-data"), "#!/bin/sh\necho hello-from-user-data\n");
        Files.writeString(files.resolve("meta-data.json"), "{\n  \"instance_id\" : \"" + CONTAINER
                + "\",\n  \"hostname\" : \"gcptc-host\",\n  \"nics\" : [ ]\n}\n");
        check(docker("create", "--name", CONTAINER, "--network", "none", "--hostname", "gcptc-host", IMAGE));
        check(docker("cp", dir.resolve("files").toString() + "/.", CONTAINER + ":/"));
        check(docker("start", CONTAINER));

        String logs = awaitLogs("gcp-init: user data exited with status 0");
        assertTrue(logs.contains("gcp-init: ready\n") && logs.contains("hello-from-user-data\n"), logs);
        assertTrue(check(docker("exec", CONTAINER, "cat", "/var/log/user-data.log")).output
                .contains("hello-from-user-data"));
        assertTrue(check(docker("exec", CONTAINER, "sh", "-c", "echo $PATH; ls /usr/bin/env")).output
                .contains("/usr/bin/env"));

        long started = System.nanoTime();
        check(docker("stop", "-t", "10", CONTAINER));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "docker stop took " + took.toMillis() + " ms");
        assertTrue(check(docker("logs", CONTAINER)).output.endsWith("gcp-init: stopping\n"));
        assertTrue(check(docker("inspect", "-f", "{{.State.ExitCode}}", CONTAINER)).output.trim().equals("0"));
    }

    private static String awaitLogs(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String logs = check(docker("logs", CONTAINER)).output;
        while (!logs.contains(text) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            logs = check(docker("logs", CONTAINER)).output;
        }
        return logs;
    }

    private record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private static Result check(Result r) {
        if (!r.ok()) {
            throw new AssertionError("docker failed (" + r.exit + "): " + r.output);
        }
        return r;
    }

    private static Result docker(String... args) {
        try {
            Process p = new ProcessBuilder(concat(args)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(60, TimeUnit.SECONDS) ? new Result(p.exitValue(), out) : new Result(-1, out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static List<String> concat(String... args) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of("docker"), java.util.stream.Stream.of(args)).toList();
    }
}
