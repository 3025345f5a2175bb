package io.goncloud.driver.network.common;

import io.goncloud.api.spi.network.HostNames;
import java.util.Set;

/**
 * A subnet's segment joined to the same segment on other hosts: unicast VXLAN from {@code local} to each of
 * {@code peers} (UDP {@value #DSTPORT}), attached to the subnet's bridge.
 *
 * @param device the tunnel's interface ({@link #device})
 * @param bridge the subnet's segment
 * @param vni    the segment's VXLAN network identifier
 * @param local  this host's underlay address
 * @param peers  the other hosts' underlay addresses (never {@code local}), each flooded to
 * @param mtu    the segment's MTU: the underlay's less the encapsulation
 */
public record Tunnel(String device, String bridge, int vni, String local, Set<String> peers, int mtu) {

    /** The IANA port of VXLAN; every host of the cloud uses it. */
    public static final int DSTPORT = 4789;

    /** The all-zero MAC of the flooding entries: broadcast, multicast and unknown unicast go to every peer. */
    public static final String FLOOD_MAC = "00:00:00:00:00:00";

    public Tunnel {
        peers = Set.copyOf(peers);
    }

    /** The VXLAN interface of a subnet's segment in the host namespace ({@code gcpv} + the subnet's id). */
    public static String device(String subnetId) {
        return "gcpv" + HostNames.shortId(subnetId);
    }

    /** The {@code ip link add} of the device; learning stays on, so known unicast goes to one peer only. */
    public String add() {
        return "link add " + device + " mtu " + mtu + " type vxlan id " + vni + " local " + local + " dstport " + DSTPORT;
    }
}
