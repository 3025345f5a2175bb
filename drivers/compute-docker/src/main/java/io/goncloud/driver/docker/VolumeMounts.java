package io.goncloud.driver.docker;

import io.goncloud.api.spi.DriverException;
import io.goncloud.driver.compute.common.HostCommands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Volumes in running containers, as file systems mounted at a path. The mount is made inside the container's
 * mount namespace ({@code nsenter -m}), where programs come from the container's own file system: {@code mknod},
 * {@code mkdir}, {@code mount}, {@code umount} and {@code rm}, or {@code /bin/busybox} (the platform's images). The device node exists in the container only while it is being mounted. A mount does not survive a
 * restart of the container (a new mount namespace): the storage agent mounts it again at its next pass.
 */
final class VolumeMounts {

    /** Absolute, plain path segments; never the system's own directories. */
    private static final Pattern TARGET = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final List<String> FORBIDDEN = List.of("/proc", "/sys", "/dev", "/etc", "/bin", "/sbin", "/lib",
            "/usr", "/run");

    /** nsenter's exit code when the program to run does not exist. */
    private static final int NOT_FOUND = 127;

    private VolumeMounts() {
    }

    /** Refuses a target that is not a plain absolute path, or that would hide the container's system. */
    static String checkTarget(String target) {
        if (target == null || !TARGET.matcher(target).matches() || target.contains("/./") || target.contains("/../")
                || target.endsWith("/.") || target.endsWith("/..")
                || FORBIDDEN.stream().anyMatch(f -> target.equals(f) || target.startsWith(f + "/"))) {
            throw new DriverException("'" + target + "' is not a path a volume can be mounted at (an absolute path "
                    + "of letters, digits, '.', '_' and '-', outside " + String.join(", ", FORBIDDEN) + ")");
        }
        return target;
    }

    /** Mounts the block device's file system at {@code target} in the container of {@code pid}, once. */
    static void mount(long pid, String device, String volumeId, String target) {
        checkTarget(target);
        String majorMinor = majorMinor(device);
        Optional<String> mounted = mountedAt(pid, target);
        if (mounted.isPresent()) {
            if (mounted.get().equals(majorMinor)) {
                return;
            }
            throw new DriverException("the instance already has something else mounted at " + target);
        }
        formatIfBlank(device);
        String[] numbers = majorMinor.split(":");
        String node = "/dev/gcp-vol-" + volumeId.replace("-", "").substring(0, 12);
        inContainer(pid, "cannot make the device node", "mknod", node, "b", numbers[0], numbers[1]);
        try {
            inContainer(pid, "cannot make the mount point " + target, "mkdir", "-p", target);
            inContainer(pid, "cannot mount the volume at " + target, "mount", node, target);
        } finally {
            try {
                inContainer(pid, "cannot remove the device node " + node, "rm", "-f", node);
            } catch (DriverException e) {
                // the mount holds the device, not the node: a node left in /dev is untidy, not a failure
            }
        }
    }

    /** Unmounts {@code target} in the container of {@code pid} if something is mounted there. */
    static void unmount(long pid, String target) {
        checkTarget(target);
        if (mountedAt(pid, target).isPresent()) {
            inContainer(pid, "cannot unmount " + target + " (a process in the instance may be using it)",
                    "umount", target);
        }
    }

    /** The device ({@code major:minor}) mounted at {@code target} in the process's mount namespace, if any. */
    static Optional<String> mountedAt(long pid, String target) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "mountinfo"));
        } catch (IOException e) {
            return Optional.empty(); // the process is gone: nothing is mounted in it any more
        }
        String found = null;
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].equals(target)) {
                found = fields[2]; // the last mount at a path is the one seen there
            }
        }
        return Optional.ofNullable(found);
    }

    private static String majorMinor(String device) {
        HostCommands.Result stat = HostCommands.check("cannot read the device " + device,
                List.of("stat", "-L", "--format=%t %T", device));
        String[] hex = stat.output().strip().split(" ");
        return Integer.parseInt(hex[0], 16) + ":" + Integer.parseInt(hex[1], 16);
    }

    /** A blank volume gets ext4, so that it can be mounted (and read by a VM later); a formatted one is kept. */
    private static void formatIfBlank(String device) {
        HostCommands.Result probe = HostCommands.run(List.of("blkid", "-p", "-o", "value", "-s", "TYPE", device));
        if (probe.exitCode() == 2) { // blkid: nothing found on the device
            HostCommands.check("cannot make a file system on " + device,
                    List.of("mkfs.ext4", "-q", "-F", "-E", "nodiscard", device));
        } else if (!probe.ok()) {
            throw new DriverException("cannot tell what is on " + device + ": " + probe.describe());
        }
    }

    /**
     * Runs a program of the container's, in its mount namespace; where the image has no such program but has
     * {@code /bin/busybox} (the platform's images link only some applets), busybox's applet of that name.
     */
    private static void inContainer(long pid, String what, String... command) {
        HostCommands.Result result = nsenter(pid, List.of(command));
        if (result.exitCode() == NOT_FOUND) {
            List<String> viaBusybox = new java.util.ArrayList<>(List.of("/bin/busybox"));
            viaBusybox.addAll(List.of(command));
            result = nsenter(pid, viaBusybox);
        }
        if (!result.ok()) {
            throw new DriverException(what + " (the image needs " + command[0] + " or /bin/busybox): "
                    + result.describe());
        }
    }

    private static HostCommands.Result nsenter(long pid, List<String> command) {
        List<String> argv = new java.util.ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-m"));
        argv.addAll(command);
        return HostCommands.run(argv);
    }
}
