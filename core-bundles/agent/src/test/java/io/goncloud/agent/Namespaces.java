package io.goncloud.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Builds the test's world out of network namespaces it owns, and runs commands in them. */
final class Namespaces {

    /** Everything the test makes starts with this; no driver owns such names. */
    static final String PREFIX = "gcpta" + ProcessHandle.current().pid() + "-";
    private final List<String> created = new ArrayList<>();
    private final List<Process> background = new ArrayList<>();

    String create(String suffix) {
        String name = PREFIX + suffix;
        run("ip", "netns", "add", name);
        created.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** The namespaces this instance created, in order. */
    List<String> created() {
        return List.copyOf(created);
    }

    static String run(String... command) {
        Result result = exec(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
        return result.output();
    }

    static Result exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exitCode, String output) {
    }

    /** A TCP server in the namespace that answers every connection with {@code reply}. */
    void serveTcp(String namespace, int port, String reply) {
        try {
            background.add(new ProcessBuilder("ip", "netns", "exec", namespace, "socat",
                    "TCP-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:echo " + reply).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a TCP connection from the namespace to address:port gets the server's reply within 2 s. */
    static boolean tcpAnswers(String namespace, String address, int port) {
        Result result = exec("ip", "netns", "exec", namespace, "socat", "-T2", "-", "TCP:" + address + ":" + port
                + ",connect-timeout=2");
        return result.exitCode() == 0 && result.output().contains("pong");
    }

    static boolean pings(String namespace, String address) {
        return exec("ip", "netns", "exec", namespace, "ping", "-c1", "-W1", address).exitCode() == 0;
    }

    /** Polls a condition that depends on the agent's asynchronous work, until true or the deadline. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        do {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        } while (Instant.now().isBefore(deadline));
        return condition.getAsBoolean();
    }

    /** Ends every process running in {@code namespace}. */
    static void killAllIn(String namespace) {
        for (String pid : exec("ip", "netns", "pids", namespace).output().split("\n")) {
            if (pid.strip().matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    void deleteAll() {
        background.forEach(Process::destroyForcibly);
        for (String name : created) {
            exec("ip", "netns", "del", name);
        }
        created.clear();
    }

    /** Removes what interrupted earlier runs of this test class left behind (namespaces of dead pids). */
    static void removeLeftovers() {
        for (String line : exec("ip", "netns", "list").output().split("\n")) {
            String name = line.split(" ")[0];
            if (name.startsWith("gcpta") && !name.startsWith(PREFIX)) {
                String pid = name.substring("gcpta".length(), name.indexOf('-') < 0 ? name.length() : name.indexOf('-'));
                boolean alive = pid.chars().allMatch(Character::isDigit)
                        && ProcessHandle.of(Long.parseLong(pid)).isPresent();
                if (!alive) {
                    exec("ip", "netns", "del", name);
                }
            }
        }
    }
}
