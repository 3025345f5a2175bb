package io.goncloud.driver.sample.process;

import io.goncloud.api.spi.DriverException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host programs (ip, kill) without a shell, with a deadline, and answers what they said. */
final class Commands {

    /** What a command did: its exit code and its output (standard output and error together). */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Commands() {
    }

    static Result run(String... argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            // The programs run here say little and end quickly; a hung one must not hang the agent.
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DriverException("'" + String.join(" ", argv) + "' did not finish within 15 s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new DriverException("cannot run '" + argv[0] + "' on this host (is it installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while running '" + String.join(" ", argv) + "'", e);
        }
    }

    /** Runs the command; a failure becomes a {@link DriverException} starting with {@code what}. */
    static String check(String what, String... argv) {
        Result result = run(argv);
        if (!result.ok()) {
            throw new DriverException(what + ": '" + String.join(" ", List.of(argv)) + "' failed: " + result.output());
        }
        return result.output();
    }
}
