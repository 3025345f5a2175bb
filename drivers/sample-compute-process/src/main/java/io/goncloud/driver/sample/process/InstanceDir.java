package io.goncloud.driver.sample.process;

import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An instance's directory, all the driver keeps: the process's pid (written by the process itself), its exit
 * status, whether the platform stopped it, the NICs it holds and its console. Everything about an instance is
 * re-derived from here and from the running processes, so that a restarted driver finds its instances again.
 */
final class InstanceDir {

    private final String instanceId;
    private final Path dir;

    InstanceDir(Path root, String instanceId) {
        this.instanceId = instanceId;
        this.dir = root.resolve(instanceId);
    }

    Path path() {
        return dir;
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    Path console() {
        return dir.resolve("console.log");
    }

    void create() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets the last run before a new one: its pid, exit status and stop mark (the console is kept). */
    void clearRun() {
        List.of("pid", "exit", "stopped").forEach(name -> delete(dir.resolve(name)));
    }

    void markStopped() {
        write("stopped", "");
    }

    /** The host devices the instance took, one a line, to hand back when it stops. */
    void writeNics(List<String> hostDevices) {
        write("nics", String.join("\n", hostDevices));
    }

    List<String> nics() {
        return read("nics").map(text -> text.lines().filter(l -> !l.isBlank()).toList()).orElse(List.of());
    }

    /** The instance's process, if it runs: the pid it wrote, still a process started for this directory. */
    Optional<ProcessHandle> process() {
        return read("pid").map(String::strip).filter(pid -> pid.matches("\\d+")).flatMap(pid -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", pid, "cmdline"));
                return cmdline.contains(dir.toString()) ? ProcessHandle.of(Long.parseLong(pid)) : Optional.empty();
            } catch (IOException gone) {
                return Optional.empty();
            }
        });
    }

    InstanceStatus status() {
        if (process().isPresent()) {
            return new InstanceStatus(instanceId, PowerState.RUNNING, null);
        }
        Optional<String> exit = read("exit").map(String::strip);
        if (exit.isPresent()) {
            return "0".equals(exit.get()) ? new InstanceStatus(instanceId, PowerState.STOPPED, "exited normally (exit code 0)")
                    : new InstanceStatus(instanceId, PowerState.CRASHED, "exited with code " + exit.get());
        }
        return new InstanceStatus(instanceId, PowerState.STOPPED, Files.exists(dir.resolve("stopped"))
                ? "stopped by the platform" : "ended without an exit status (killed)");
    }

    /** The last {@code maxBytes} of the console. */
    String consoleTail(int maxBytes) {
        if (maxBytes <= 0 || !Files.exists(console())) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(console().toFile(), "r")) {
            long start = Math.max(0, file.length() - maxBytes);
            byte[] tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(InstanceDir::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> read(String name) {
        try {
            return Optional.of(Files.readString(dir.resolve(name)));
        } catch (IOException absent) {
            return Optional.empty();
        }
    }

    private void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
