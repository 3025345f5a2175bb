package io.goncloud.driver.ovs;

import io.goncloud.api.spi.network.HostNames;

/**
 * Names of the hybrid plug, which {@link HostNames} does not have (yet): like its names they start with
 * {@code gcp}, carry the port's short id and fit Linux's 15 characters.
 *
 * <pre>
 *  instance ──(instanceSide)══veth══(portDevice)── portBridge (Linux bridge) ──(portTap)── OVS subnetBridge
 * </pre>
 *
 * The firewall driver knows the {@code gcpq} prefix of the port bridges: it tracks connections on them.
 */
final class OvsNames {

    private OvsNames() {
    }

    /** The port's own Linux bridge, between its port device and the subnet's OVS bridge. */
    static String portBridge(String portId) {
        return "gcpq" + HostNames.shortId(portId);
    }

    /** The tap ovs-vswitchd makes for the port on the subnet's OVS bridge, attached to the port bridge. */
    static String portTap(String portId) {
        return "gcpo" + HostNames.shortId(portId);
    }
}
