package io.goncloud.driver.libvirt;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.driver.compute.common.GuestHostnames;

import java.util.regex.Pattern;

import static io.goncloud.driver.libvirt.LibvirtComputeDriver.IMAGE_FORMAT_QCOW2;
import static io.goncloud.driver.libvirt.LibvirtComputeDriver.IMAGE_FORMAT_RAW;

/** What the driver accepts of an instance spec, checked before anything is made, and the guest's host name. */
final class InstanceSpecs {

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final int MIN_MEMORY_MIB = 32;

    private InstanceSpecs() {
    }

    static void checkInstanceId(String instanceId) {
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            throw new DriverException("'" + instanceId + "' is not a valid instance id for a domain name "
                    + "(letters, digits, '_', '.', '-', at most 128)");
        }
    }

    static String validate(InstanceSpec spec) {
        if (spec == null) {
            throw new DriverException("no instance spec");
        }
        checkInstanceId(spec.instanceId());
        String what = "Instance " + spec.instanceId() + ": ";
        if (spec.image() == null || spec.image().location() == null || !spec.image().location().startsWith("/")) {
            throw new DriverException(what + "the image location must be the absolute path of a qcow2 or raw file, not '"
                    + (spec.image() == null ? null : spec.image().location()) + "'");
        }
        String format = spec.image().format();
        if (format != null && !IMAGE_FORMAT_QCOW2.equals(format) && !IMAGE_FORMAT_RAW.equals(format)) {
            throw new DriverException(what + "image " + spec.image().imageId() + " has format '" + format
                    + "'; the libvirt compute driver boots only qcow2 and raw");
        }
        if (spec.vcpus() < 1) {
            throw new DriverException(what + "vcpus must be at least 1, not " + spec.vcpus());
        }
        if (spec.memoryMiB() < MIN_MEMORY_MIB) {
            throw new DriverException(what + "memory must be at least " + MIN_MEMORY_MIB + " MiB, not " + spec.memoryMiB());
        }
        if (spec.nics().size() > NicPlumber.MAX_NICS) {
            throw new DriverException(what + "at most " + NicPlumber.MAX_NICS + " NICs, not " + spec.nics().size());
        }
        for (int i = 0; i < spec.nics().size(); i++) {
            try {
                NicPlumber.validate(i, spec.nics().get(i));
            } catch (DriverException e) {
                throw new DriverException(what + e.getMessage());
            }
        }
        hostname(spec);
        return spec.instanceId();
    }

    static String hostname(InstanceSpec spec) {
        return GuestHostnames.of(spec);
    }
}
