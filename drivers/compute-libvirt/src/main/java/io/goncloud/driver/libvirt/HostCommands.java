package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host programs (ip, qemu-img, mkfs.vfat, mcopy) without a shell, with a deadline, capturing their output. */
final class HostCommands {

    /** The outcome of one command; {@code output} holds stdout and stderr interleaved, trimmed. */
    record Result(List<String> argv, int exitCode, String output) {

        boolean ok() {
            return exitCode == 0;
        }

        /** The command line and what it said, for messages. */
        String describe() {
            return "'" + String.join(" ", argv) + "' exited with " + exitCode
                    + (output.isEmpty() ? "" : ": " + output);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_OUTPUT = 64 * 1024;

    private HostCommands() {
    }

    /** Runs the command and returns its result whatever the exit code. */
    static Result run(List<String> argv) {
        return run(argv, TIMEOUT);
    }

    /** Runs the command with its own deadline and returns its result whatever the exit code. */
    static Result run(List<String> argv, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DriverException("cannot run '" + argv.get(0) + "' on this host: " + e.getMessage()
                    + " (the libvirt compute driver needs iproute2, qemu-utils, dosfstools and mtools)", e);
        }
        try {
            process.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(process.getInputStream(), out), "gcp-libvirt-cmd-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DriverException("'" + String.join(" ", argv) + "' did not finish within "
                        + timeout.toSeconds() + " s");
            }
            reader.join(TimeUnit.SECONDS.toMillis(2));
            String output;
            synchronized (out) {
                output = out.toString(StandardCharsets.UTF_8).trim();
            }
            return new Result(List.copyOf(argv), process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while running '" + String.join(" ", argv) + "'", e);
        } catch (IOException e) {
            throw new DriverException("cannot run '" + String.join(" ", argv) + "': " + e.getMessage(), e);
        }
    }

    /** Runs the command and fails with a {@link DriverException} if it does not exit with 0. */
    static Result check(String what, List<String> argv) {
        Result result = run(argv);
        if (!result.ok()) {
            throw new DriverException(what + ": " + result.describe());
        }
        return result;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    if (out.size() < MAX_OUTPUT) {
                        out.write(buffer, 0, Math.min(n, MAX_OUTPUT - out.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is kept
        }
    }
}
