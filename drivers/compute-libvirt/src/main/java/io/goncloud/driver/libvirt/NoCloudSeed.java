package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.driver.compute.common.HostCommands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The guest's configuration the way cloud images expect it: a NoCloud seed, a small FAT disk labelled
 * {@code CIDATA} holding {@code meta-data} (instance-id, local-hostname, public-keys) and {@code user-data}
 * (the tenant's, as given; empty if none). Built without mounting anything: {@code mkfs.vfat -C} on a file,
 * then {@code mcopy}. Attached read-only as the VM's second disk.
 */
final class NoCloudSeed {

    /** 1 MiB: room for 64 KiB of user data (the EC2 limit is 16 KiB) many times over. */
    private static final int SIZE_KIB = 1024;

    private NoCloudSeed() {
    }

    static String metaData(InstanceSpec spec, String hostname) {
        StringBuilder meta = new StringBuilder();
        meta.append("instance-id: ").append(spec.instanceId()).append('\n');
        meta.append("local-hostname: ").append(hostname).append('\n');
        List<String> keys = spec.sshPublicKeys();
        if (!keys.isEmpty()) {
            meta.append("public-keys:\n");
            for (String key : keys) {
                String k = key.strip();
                if (k.contains("\n") || k.contains("\r")) {
                    throw new DriverException("Instance " + spec.instanceId() + ": an SSH public key spans lines");
                }
                meta.append("  - ").append(k).append('\n');
            }
        }
        return meta.toString();
    }

    /** Writes the seed image to {@code target} (replacing it atomically). */
    static void write(Path target, InstanceSpec spec, String hostname) {
        String what = "cannot build the NoCloud seed " + target;
        Path dir = target.getParent();
        Path tmp = dir.resolve(".seed-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        Path metaFile = dir.resolve(".meta-data.tmp");
        Path userFile = dir.resolve(".user-data.tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.writeString(metaFile, metaData(spec, hostname), StandardCharsets.UTF_8);
            Files.write(userFile, spec.userData() == null ? new byte[0] : spec.userData().getBytes(StandardCharsets.UTF_8));
            HostCommands.check(what, List.of("mkfs.vfat", "-C", "-n", "CIDATA", tmp.toString(), Integer.toString(SIZE_KIB)));
            HostCommands.check(what, List.of("mcopy", "-o", "-i", tmp.toString(), metaFile.toString(), "::meta-data"));
            HostCommands.check(what, List.of("mcopy", "-o", "-i", tmp.toString(), userFile.toString(), "::user-data"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DriverException(what + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(metaFile);
                Files.deleteIfExists(userFile);
            } catch (IOException e) {
                // left for the next attempt, which overwrites them
            }
        }
    }
}
