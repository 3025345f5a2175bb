package io.goncloud.driver.storagefile;

import io.goncloud.api.spi.DriverException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Loop devices over volume files, for containers (which need a block device). The kernel names them
 * {@code /dev/loopN}; they are found again by their backing file, whose name is the platform's.
 */
final class LoopDevices {

    private LoopDevices() {
    }

    /** The loop devices backed by {@code file}, in the kernel's order. */
    static List<String> of(Path file) {
        HostCommand.Result found = HostCommand.check("cannot list the loop devices of " + file,
                List.of("losetup", "--noheadings", "--output", "NAME", "--associated", file.toString()));
        return Arrays.stream(found.output().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Sets up a loop device over {@code file} and returns its node. */
    static String attach(Path file) {
        return HostCommand.check("cannot set up a loop device over " + file,
                List.of("losetup", "--find", "--show", file.toString())).output().strip();
    }

    /** Tells a loop device that its file grew, so that the block device grows too. */
    static void refreshSize(String device) {
        HostCommand.check("cannot refresh the size of " + device, List.of("losetup", "--set-capacity", device));
    }

    static void detach(String device) {
        HostCommand.Result result = HostCommand.run(List.of("losetup", "--detach", device));
        if (!result.ok() && !result.output().contains("No such device")) {
            throw new DriverException("cannot detach " + device + " (still mounted or open?): " + result.describe());
        }
    }

    /** Whether this host can make loop devices at all. */
    static boolean available() {
        try {
            return HostCommand.run(List.of("losetup", "--find")).ok();
        } catch (DriverException e) {
            return false;
        }
    }
}
