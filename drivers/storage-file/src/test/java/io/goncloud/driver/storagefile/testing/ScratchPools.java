package io.goncloud.driver.storagefile.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Real file systems for the driver's tests, all under {@code /tmp/gcp-storage-test-*}: a btrfs image file
 * loop-mounted there, or a plain directory of the host's own file system. {@link #close()} removes everything,
 * and {@link #removeLeftovers()} what an interrupted run left: loop devices over files there, mounts, directories.
 */
public final class ScratchPools implements AutoCloseable {

    private static final Path TMP = Path.of("/tmp");
    private static final String PREFIX = "gcp-storage-test-";

    private final Path root;

    public ScratchPools() throws IOException {
        root = Files.createDirectory(TMP.resolve(PREFIX + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** A fresh btrfs file system of {@code sizeMiB} mounted at a directory of its own; returns the mount point. */
    public Path btrfs(String name, int sizeMiB) throws IOException {
        Path image = root.resolve(name + ".img");
        Path mountPoint = Files.createDirectory(root.resolve(name));
        try (var raf = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            raf.setLength((long) sizeMiB << 20);
        }
        run("mkfs.btrfs", "-q", image.toString());
        run("mount", "-o", "loop", image.toString(), mountPoint.toString());
        return mountPoint;
    }

    /** A directory on the host's own file system (ext4 on these machines: no reflink). */
    public Path plainDirectory(String name) throws IOException {
        return Files.createDirectory(root.resolve(name));
    }

    @Override
    public void close() throws IOException {
        remove(root);
    }

    /** Removes every scratch tree an earlier, interrupted run left behind. */
    public static void removeLeftovers() throws IOException {
        try (Stream<Path> entries = Files.list(TMP)) {
            for (Path leftover : entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                remove(leftover);
            }
        }
    }

    /** Loop devices over files in the tree first (they keep a mount busy), then mounts, deepest first, then files. */
    private static void remove(Path tree) throws IOException {
        String prefix = tree.toString() + "/";
        for (String line : run("losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE").split("\n")) {
            String[] fields = line.strip().split("\\s+", 2);
            if (fields.length == 2 && fields[1].startsWith(prefix)) {
                run("losetup", "--detach", fields[0]);
            }
        }
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
            String mountPoint = line.split(" ")[1];
            if (mountPoint.startsWith(prefix)) {
                mounts.add(mountPoint);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        for (String mountPoint : mounts) {
            run("umount", mountPoint);
        }
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    public static String run(String... argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", argv) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}
