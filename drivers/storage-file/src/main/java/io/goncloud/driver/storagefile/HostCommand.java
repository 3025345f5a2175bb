package io.goncloud.driver.storagefile;

import io.goncloud.api.spi.DriverException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a host program (cp, losetup, stat) without a shell and with a deadline, capturing what it says. */
final class HostCommand {

    /** The outcome; {@code output} holds stdout and stderr interleaved, trimmed. */
    record Result(List<String> argv, int exitCode, String output) {

        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return "'" + String.join(" ", argv) + "' exited with " + exitCode + (output.isEmpty() ? "" : ": " + output);
        }
    }

    /** A copy of a large volume on a file system that cannot reflink is slow (~1 s/GiB on ext4): generous. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private HostCommand() {
    }

    static Result run(List<String> argv) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new DriverException("cannot run '" + argv.get(0) + "' on this host (is it installed?): "
                    + e.getMessage(), e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DriverException("'" + String.join(" ", argv) + "' did not finish within "
                        + TIMEOUT.toMinutes() + " minutes");
            }
            return new Result(List.copyOf(argv), process.exitValue(), output.join().trim());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while running '" + String.join(" ", argv) + "'", e);
        }
    }

    /** Runs the command and throws a {@link DriverException} starting with {@code what} unless it exits with 0. */
    static Result check(String what, List<String> argv) {
        Result result = run(argv);
        if (!result.ok()) {
            throw new DriverException(what + ": " + result.describe());
        }
        return result;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
