package io.goncloud.driver.compute.common;

import io.goncloud.api.spi.DriverException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs host programs (ip, nsenter, qemu-img...) without a shell, with a deadline, capturing their output
 * (standard output and error interleaved, at most 64 KiB).
 */
public final class HostCommands {

    /** The outcome of one command; {@code output} holds stdout and stderr interleaved, trimmed. */
    public record Result(List<String> argv, int exitCode, String output) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** The command line and what it said, for messages. */
        public String describe() {
            return "'" + String.join(" ", argv) + "' exited with " + exitCode
                    + (output.isEmpty() ? "" : ": " + output);
        }
    }

    /** Long enough for ip or nsenter on a busy host; a hung command must not hang the agent. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_OUTPUT = 64 * 1024;

    private HostCommands() {
    }

    /** Runs the command and returns its result whatever the exit code. */
    public static Result run(List<String> argv) {
        return run(argv, "", TIMEOUT);
    }

    /** Runs the command with {@code input} on its standard input (e.g. {@code ip -batch -}). */
    public static Result run(List<String> argv, String input) {
        return run(argv, input, TIMEOUT);
    }

    /** Runs the command with its own deadline and returns its result whatever the exit code. */
    public static Result run(List<String> argv, Duration timeout) {
        return run(argv, "", timeout);
    }

    private static Result run(List<String> argv, String input, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DriverException("cannot run '" + argv.get(0) + "' on this host (is it installed?): "
                    + e.getMessage(), e);
        }
        try {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The command exited without reading its input; its exit code and output say why.
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(process.getInputStream(), out), "gcp-host-command-output");
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
        }
    }

    /** Runs the command and fails with a {@link DriverException} if it does not exit with 0. */
    public static Result check(String what, List<String> argv) {
        return check(what, argv, "");
    }

    /** As {@link #check(String, List)}, with {@code input} on the command's standard input. */
    public static Result check(String what, List<String> argv, String input) {
        Result result = run(argv, input);
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
