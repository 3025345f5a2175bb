package io.goncloud.api.spi.network;

/**
 * The names network and firewall drivers give to what they create on a host, derived from the
 * platform's ids so that every driver (and a driver restarted with no memory) agrees on them. Every
 * name starts with {@code gcp}; interface names fit Linux's 15-character limit.
 *
 * <pre>
 *  instance ──(instanceSide)══veth══(portDevice)── subnet segment (subnetBridge)
 *                                                     │
 *                                    (routerBridgeLeg)══veth══(routerLeg, gateway address)
 *                                                                  │ in routerNamespace(vpc)
 *                                    (routerUplink)══veth══(uplinkPeer)── provider bridge (outside)
 * </pre>
 */
public final class HostNames {

    /** Hex digits of an id kept in interface names: 44 bits, collisions negligible on one host. */
    private static final int ID_CHARS = 11;

    private HostNames() {
    }

    /** The subnet's L2 segment (a Linux bridge or an OVS bridge). */
    public static String subnetBridge(String subnetId) {
        return "gcpb" + shortId(subnetId);
    }

    /** Host side of an instance port, attached to the subnet's segment; firewalls filter on it. */
    public static String portDevice(String portId) {
        return "gcpp" + shortId(portId);
    }

    /** Instance side of an instance port, handed to the compute driver to move into the instance. */
    public static String instanceSide(String portId) {
        return "gcpi" + shortId(portId);
    }

    /** The VPC's virtual router: a network namespace holding the subnets' gateways, routes, NAT and ACLs. */
    public static String routerNamespace(String vpcId) {
        return "gcpr-" + vpcId;
    }

    /** The router's leg in a subnet (inside the router namespace), carrying the subnet's gateway address. */
    public static String routerLeg(String subnetId) {
        return "gcpg" + shortId(subnetId);
    }

    /** The peer of {@link #routerLeg}, attached to the subnet's segment. */
    public static String routerBridgeLeg(String subnetId) {
        return "gcph" + shortId(subnetId);
    }

    /** The router's uplink to the outside (inside the router namespace), carrying its public addresses. */
    public static String routerUplink(String vpcId) {
        return "gcpx" + shortId(vpcId);
    }

    /** The peer of {@link #routerUplink}, attached to the provider (outside) bridge. */
    public static String uplinkPeer(String vpcId) {
        return "gcpy" + shortId(vpcId);
    }

    /** First hex digits of an id, without dashes. */
    public static String shortId(String id) {
        String hex = id.replace("-", "").toLowerCase(java.util.Locale.ROOT);
        if (hex.length() < ID_CHARS || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a platform id: " + id);
        }
        return hex.substring(0, ID_CHARS);
    }
}
