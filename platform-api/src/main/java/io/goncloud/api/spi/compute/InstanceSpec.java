package io.goncloud.api.spi.compute;

import java.util.List;
import java.util.Map;

/**
 * Everything a compute driver needs to launch an instance.
 *
 * @param instanceId    the platform's id; the driver derives its host names from it
 * @param image         what to boot
 * @param vcpus         virtual CPUs, enforced as a limit
 * @param memoryMiB     memory, enforced as a limit
 * @param rootDiskGiB   root disk size
 * @param nics          network endpoints prepared by the network driver, in order
 * @param userData      the tenant's user data, or {@code null}
 * @param sshPublicKeys public keys to authorise in the guest
 * @param labels        free-form metadata the driver stores with the instance
 */
public record InstanceSpec(String instanceId, ImageRef image, int vcpus, int memoryMiB, int rootDiskGiB,
                           List<NicSpec> nics, String userData, List<String> sshPublicKeys,
                           Map<String, String> labels) {

    public InstanceSpec {
        nics = List.copyOf(nics);
        sshPublicKeys = List.copyOf(sshPublicKeys);
        labels = Map.copyOf(labels);
    }

    /**
     * @param imageId  the platform's image id
     * @param format   e.g. {@code docker-rootfs}, {@code qcow2}
     * @param location where the driver finds the artifact: a local image tag, a file path
     */
    public record ImageRef(String imageId, String format, String location) {
    }

    /**
     * @param macAddress  the NIC's MAC address
     * @param ipAddress   the private address the IPAM allocated
     * @param prefixLength the subnet's prefix length
     * @param gateway     the subnet's gateway address
     * @param hostDevice  the host-side device the network driver prepared for this NIC (a veth peer or
     *                    tap name); the compute driver moves or binds it into the instance
     */
    public record NicSpec(String macAddress, String ipAddress, int prefixLength, String gateway,
                          String hostDevice) {
    }
}
