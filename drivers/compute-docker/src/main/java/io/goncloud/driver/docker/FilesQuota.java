package io.goncloud.driver.docker;

import io.goncloud.api.spi.DriverException;
import io.goncloud.driver.compute.common.HostCommands;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Caps each instance's file directory ({@code <state.dir>/<owner>/<instanceId>}), which its container mounts
 * read-write: without a cap, an instance could fill the worker's disk through its {@code /var/lib/gcp}, past
 * its own root disk's cap. Where the state directory is on btrfs with quotas enabled (as {@code scripts/start.sh}
 * sets it up), each instance's directory is a subvolume with a quota of {@value #LIMIT_MIB} MiB; elsewhere it is
 * a plain directory, uncapped, which the driver's probe and log say.
 *
 * <p>A removed directory's quota group is left to the kernel, which drops it once the subvolume is cleaned up.
 * Never destroyed by hand: {@code btrfs qgroup clear-stale} after removals left this machine's quota data
 * inconsistent, and btrfs then enforced no limit at all (root disks included) until a rescan.
 */
final class FilesQuota {

    private static final Logger LOG = LoggerFactory.getLogger(FilesQuota.class);

    /** Room for the platform's files (user data is at most 16 KiB) and what the instance adds (host keys...). */
    static final int LIMIT_MIB = 64;

    private final Path root;
    /** Null until the first directory is made: the state directory may be mounted after the driver starts. */
    private volatile Boolean capped;

    FilesQuota(Path root) {
        this.root = root;
    }

    /** Null if not known yet (no instance directory made so far). */
    Boolean capped() {
        return capped;
    }

    /** Makes the instance's directory {@code dir} (a child of the root, which must not exist yet), mode 0700. */
    void createDirectory(Path dir) throws IOException {
        Files.createDirectories(root);
        if (!isCapped()) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(InstanceFiles.permissions(0700)));
            return;
        }
        HostCommands.Result created = HostCommands.run(List.of("btrfs", "subvolume", "create", dir.toString()));
        if (!created.ok()) {
            throw new IOException("cannot create the subvolume " + dir + ": " + created.describe());
        }
        HostCommands.Result limited = HostCommands.run(List.of("btrfs", "qgroup", "limit", LIMIT_MIB + "M",
                dir.toString()));
        if (!limited.ok()) {
            Files.delete(dir);
            throw new IOException("cannot set the quota of " + dir + ": " + limited.describe());
        }
        Files.setPosixFilePermissions(dir, InstanceFiles.permissions(0700));
    }

    /**
     * Whether btrfs says the quota data of the file system holding {@code path} is inconsistent. It then may not
     * account, and so not enforce any limit, until {@code btrfs quota rescan}; false where it cannot tell.
     */
    static boolean inconsistent(Path path) {
        return qgroups(path).map(show -> show.output().toLowerCase(java.util.Locale.ROOT).contains("inconsistent"))
                .orElse(false);
    }

    private boolean isCapped() throws IOException {
        Boolean known = capped;
        if (known == null) {
            known = "btrfs".equals(Files.getFileStore(root).type()) && qgroups(root).map(HostCommands.Result::ok)
                    .orElse(false);
            capped = known;
            if (known) {
                LOG.info("Instances' file directories in {} are capped at {} MiB each (btrfs quotas)", root, LIMIT_MIB);
            } else {
                LOG.warn("Instances' file directories in {} are not capped: it is not on btrfs with quotas enabled "
                        + "(scripts/start.sh mounts one there); an instance can fill this file system through "
                        + "its /var/lib/gcp", root);
            }
        }
        return known;
    }

    /** {@code btrfs qgroup show}: fails where quotas are off; empty without btrfs-progs. */
    private static Optional<HostCommands.Result> qgroups(Path path) {
        try {
            return Optional.of(HostCommands.run(List.of("btrfs", "qgroup", "show", path.toString())));
        } catch (DriverException e) {
            return Optional.empty();
        }
    }
}
