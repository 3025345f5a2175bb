package io.goncloud.driver.storagefile;

import io.goncloud.api.spi.DriverException;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** What the pool directory's file system is and can do: its type, its space, and whether it can reflink. */
final class PoolFileSystem {

    private PoolFileSystem() {
    }

    /** The file system type as the kernel names it ({@code btrfs}, {@code xfs}, {@code ext2/ext3}...). */
    static String type(Path directory) {
        return HostCommand.check("cannot tell the file system of " + directory,
                List.of("stat", "--file-system", "--format=%T", directory.toString())).output().strip();
    }

    /**
     * Whether a file in {@code directory} can be copied by reflink (sharing its extents, no data copied): tried
     * for real on two small files, removed afterwards.
     */
    static boolean reflinks(Path directory) {
        Path original = directory.resolve("gcp-reflink-probe-" + UUID.randomUUID());
        Path copy = original.resolveSibling(original.getFileName() + ".copy");
        try {
            Files.write(original, new byte[4096]);
            return HostCommand.run(List.of("cp", "--reflink=always", original.toString(), copy.toString())).ok();
        } catch (IOException e) {
            throw new DriverException("cannot write in the pool directory " + directory + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(original);
            deleteQuietly(copy);
        }
    }

    static FileStore store(Path directory) {
        try {
            return Files.getFileStore(directory);
        } catch (IOException e) {
            throw new DriverException("cannot read the space of " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a probe file left behind is harmless: it is gcp-named and removed at the next activation
        }
    }
}
