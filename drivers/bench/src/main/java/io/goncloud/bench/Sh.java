package io.goncloud.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs host commands. Once clean-up has begun, only the clean-up thread may start new ones. */
final class Sh {

    private static volatile Thread cleaner;

    record Result(List<String> command, int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        String orThrow() {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "): "
                        + (err.isBlank() ? out : err).strip());
            }
            return out;
        }
    }

    private Sh() {
    }

    /** From now on, commands of other threads fail: the clean-up must not race with new objects. */
    static void cleaningUp() {
        cleaner = Thread.currentThread();
    }

    static Result exec(List<String> command, String stdin) {
        Thread owner = cleaner;
        if (owner != null && owner != Thread.currentThread()) {
            throw new IllegalStateException("stopping");
        }
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // exited without reading; its status tells
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(command, -1, out.getNow(""), "timed out");
            }
            return new Result(command, process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            return new Result(command, -1, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(command, -1, "", "interrupted");
        }
    }

    static Result exec(String... command) {
        return exec(Arrays.asList(command), null);
    }

    /** A command that must succeed; returns its output. */
    static String sh(String... command) {
        return exec(command).orThrow();
    }

    /** {@code ip netns exec <namespace> command...}, which must succeed. */
    static String in(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        return exec(full, null).orThrow();
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
