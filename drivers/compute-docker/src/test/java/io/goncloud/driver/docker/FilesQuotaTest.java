package io.goncloud.driver.docker;

import io.goncloud.driver.compute.common.HostCommands;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instance file directories on a real btrfs with quotas: a small file system of the test's own (a sparse file
 * mounted through a loop device under target/, unmounted at the end; one an interrupted run left is unmounted
 * first). One test after the other: the second makes the quota data inconsistent for a moment.
 */
@Execution(ExecutionMode.SAME_THREAD)
class FilesQuotaTest {

    private static final Path WORK = Path.of("target", "gcptd-btrfs").toAbsolutePath();
    private static final Path MOUNT = WORK.resolve("mnt");

    @BeforeAll
    static void mountAFileSystemOfOurOwn() throws IOException {
        Assumptions.assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "needs root (mount)");
        Assumptions.assumeTrue(run("btrfs", "--version").ok() && run("mkfs.btrfs", "--version").ok(),
                "needs btrfs-progs (apt-get install -y btrfs-progs)");
        unmount();
        Files.createDirectories(MOUNT);
        Path image = WORK.resolve("fs.img");
        Files.deleteIfExists(image);
        assertTrue(run("truncate", "-s", "256M", image.toString()).ok());
        assertTrue(run("mkfs.btrfs", "-q", image.toString()).ok());
        HostCommands.Result mounted = run("mount", "-o", "loop", image.toString(), MOUNT.toString());
        Assumptions.assumeTrue(mounted.ok(), () -> "cannot mount a loop device here: " + mounted.describe());
        assertTrue(run("btrfs", "quota", "enable", MOUNT.toString()).ok());
    }

    @AfterAll
    static void unmount() {
        if (run("mountpoint", "-q", MOUNT.toString()).ok()) {
            run("umount", MOUNT.toString());
        }
    }

    private static HostCommands.Result run(String... argv) {
        return HostCommands.run(List.of(argv));
    }

    @Test
    void eachInstanceDirectoryIsCappedAndRemovedLikeADirectory() throws IOException {
        FilesQuota quota = new FilesQuota(MOUNT.resolve("owner"));
        Path dir = MOUNT.resolve("owner").resolve("i-1");

        quota.createDirectory(dir);

        assertEquals(Boolean.TRUE, quota.capped());
        IOException full = assertThrows(IOException.class, () -> {
            try (OutputStream out = Files.newOutputStream(dir.resolve("fill"))) {
                byte[] chunk = new byte[1024 * 1024];
                for (int i = 0; i < 100; i++) {
                    out.write(chunk);
                }
            }
        });
        assertTrue(String.valueOf(full.getMessage()).contains("quota"), String.valueOf(full.getMessage()));
        assertTrue(Files.size(dir.resolve("fill")) <= FilesQuota.LIMIT_MIB * 1024L * 1024);

        InstanceFiles.remove(dir);
        assertFalse(Files.exists(dir));
    }

    /** Quota data btrfs itself calls inconsistent (here: a group assigned to a parent without a rescan). */
    @Test
    void inconsistentQuotaDataIsToldAndARescanMendsIt() throws IOException {
        assertFalse(FilesQuota.inconsistent(MOUNT));
        Path shared = MOUNT.resolve("shared");
        assertTrue(run("btrfs", "subvolume", "create", shared.toString()).ok());
        Files.write(shared.resolve("data"), new byte[256 * 1024]);
        assertTrue(run("sync").ok());
        assertTrue(run("btrfs", "subvolume", "snapshot", shared.toString(), MOUNT.resolve("snapshot").toString()).ok());
        assertTrue(run("sync").ok());
        String id = run("btrfs", "inspect-internal", "rootid", shared.toString()).output().strip();
        assertTrue(run("btrfs", "qgroup", "create", "1/100", MOUNT.toString()).ok());
        run("btrfs", "qgroup", "assign", "--no-rescan", "0/" + id, "1/100", MOUNT.toString());

        assertTrue(FilesQuota.inconsistent(MOUNT));
        assertTrue(run("btrfs", "quota", "rescan", "-w", MOUNT.toString()).ok());
        assertFalse(FilesQuota.inconsistent(MOUNT));
    }
}
