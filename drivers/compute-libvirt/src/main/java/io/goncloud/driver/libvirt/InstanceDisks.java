package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.driver.compute.common.HostCommands;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.goncloud.driver.libvirt.LibvirtComputeDriver.IMAGE_FORMAT_QCOW2;
import static io.goncloud.driver.libvirt.LibvirtComputeDriver.IMAGE_FORMAT_RAW;

/** An instance's disk: the image checked ({@code qemu-img info}), then a qcow2 overlay on it of the type's size. */
final class InstanceDisks {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceDisks.class);
    private static final Pattern VIRTUAL_SIZE = Pattern.compile("\"virtual-size\"\\s*:\\s*(\\d+)");
    private static final Pattern FORMAT = Pattern.compile("\"format\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern BACKING = Pattern.compile("\"backing-filename\"\\s*:");
    private static final long GIB = 1024L * 1024L * 1024L;

    private InstanceDisks() {
    }


    /** The image's actual format, checked against the declared one; images with a backing file are refused. */
    static String imageFormat(InstanceSpec spec, Path image, String what) {
        if (!Files.isRegularFile(image)) {
            throw new DriverException(what + ": image " + describeImage(spec) + " is not on this host (no file "
                    + image + ")");
        }
        HostCommands.Result info = HostCommands.run(List.of("qemu-img", "info", "-U", "--output=json", image.toString()));
        if (!info.ok()) {
            throw new DriverException(what + ": cannot read image " + describeImage(spec) + ": " + info.describe());
        }
        Matcher f = FORMAT.matcher(info.output());
        String actual = f.find() ? f.group(1) : "?";
        String declared = spec.image().format();
        if (!IMAGE_FORMAT_QCOW2.equals(actual) && !IMAGE_FORMAT_RAW.equals(actual)) {
            throw new DriverException(what + ": image " + describeImage(spec) + " is in format '" + actual
                    + "'; this driver boots qcow2 and raw images");
        }
        if (declared != null && !declared.equals(actual)) {
            throw new DriverException(what + ": image " + describeImage(spec) + " is declared '" + declared
                    + "' but its file is " + actual);
        }
        if (BACKING.matcher(info.output()).find()) {
            throw new DriverException(what + ": image " + describeImage(spec) + " has a backing file of its own; "
                    + "import a flattened image (qemu-img convert)");
        }
        return actual;
    }

    static void createOverlay(String instanceId, Path image, String format, int rootDiskGiB, Path disk) {
        HostCommands.Result info = HostCommands.run(List.of("qemu-img", "info", "-U", "--output=json", image.toString()));
        Matcher m = VIRTUAL_SIZE.matcher(info.output());
        long imageSize = m.find() ? Long.parseLong(m.group(1)) : 0;
        long size = rootDiskGiB <= 0 ? imageSize : rootDiskGiB * GIB;
        if (size < imageSize) {
            throw new DriverException("the root disk of " + rootDiskGiB + " GiB is smaller than the image's "
                    + (imageSize + GIB - 1) / GIB + " GiB");
        }
        Path tmp = disk.resolveSibling(disk.getFileName() + ".tmp");
        HostCommands.check("qemu-img could not create the overlay", List.of("qemu-img", "create", "-q", "-f", "qcow2",
                "-F", format, "-b", image.toAbsolutePath().toString(), tmp.toString(), Long.toString(size)));
        try {
            Files.move(tmp, disk, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DriverException("cannot move " + tmp + " to " + disk + ": " + e.getMessage(), e);
        }
        LOG.debug("Instance {}: overlay {} on {} ({} bytes)", instanceId, disk, image, size);
    }

    private static String describeImage(InstanceSpec spec) {
        String location = spec.image().location();
        return spec.image().imageId() == null || spec.image().imageId().equals(location)
                ? "'" + location + "'" : spec.image().imageId() + " ('" + location + "')";
    }
}
