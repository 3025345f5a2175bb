package io.goncloud.core.dataplane;

import io.goncloud.api.spi.network.HostNetwork.Overlay;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which part of the cloud's network one host holds. The network host runs every VPC's router and holds every
 * subnet's segment; any other host holds only the segments of subnets it has instance ports in. A segment spanning
 * hosts is joined by unicast tunnels between the underlay addresses of the hosts holding it.
 *
 * <p>A port whose instance has no worker (its node row is gone) is kept on the network host, where a single host
 * always had it. A host without an underlay address gets no overlay: no tunnels, exactly the single-host state.
 */
final class HostShare {

    private final String hostId;
    private final boolean networkHost;
    private final Overlay overlay;
    /** subnet id -> host ids holding a port of it. */
    private final Map<String, Set<String>> hostsBySubnet = new HashMap<>();
    private final Map<String, String> underlays;
    private final String networkHostUnderlay;

    private HostShare(String hostId, boolean networkHost, Overlay overlay, Collection<InstancePort> ports,
                      Map<String, String> underlays, String networkHostId, String networkHostUnderlay) {
        this.hostId = hostId;
        this.networkHost = networkHost;
        this.overlay = overlay;
        this.underlays = underlays;
        this.networkHostUnderlay = networkHostUnderlay;
        for (InstancePort port : ports) {
            String holder = port.hostId() == null ? networkHostId : port.hostId();
            hostsBySubnet.computeIfAbsent(port.subnetId(), s -> new HashSet<>()).add(holder);
        }
    }

    /** One host holding everything, with no tunnels: the state every host got before there were several. */
    static HostShare everything() {
        return new HostShare(null, true, null, List.of(), Map.of(), null, null);
    }

    /**
     * @param networkHostId        the host running the routers
     * @param networkHostUnderlay  its underlay address when it sends no heartbeat of its own, or null
     * @param underlays            each worker's reported underlay address (host id -> address), without blanks
     */
    static HostShare of(String hostId, String networkHostId, String networkHostUnderlay, int underlayMtu,
                        Collection<InstancePort> ports, Map<String, String> underlays) {
        boolean networkHost = hostId.equals(networkHostId);
        String routerUnderlay = underlays.getOrDefault(networkHostId, blankToNull(networkHostUnderlay));
        String local = networkHost ? routerUnderlay : underlays.get(hostId);
        Overlay overlay = local == null ? null : new Overlay(local, underlayMtu);
        return new HostShare(hostId, networkHost, overlay, ports, underlays, networkHostId, routerUnderlay);
    }

    boolean routerHere() {
        return networkHost;
    }

    Overlay overlay() {
        return overlay;
    }

    boolean holdsPort(InstancePort port) {
        if (hostId == null) {
            return true;
        }
        return port.hostId() == null ? networkHost : port.hostId().equals(hostId);
    }

    boolean holdsSubnet(String subnetId) {
        return networkHost || hostsBySubnet.getOrDefault(subnetId, Set.of()).contains(hostId);
    }

    /** The segment's tunnel id on this host: 0 without an overlay, so a single host's state is unchanged. */
    int vni(Integer allocated) {
        return overlay == null || allocated == null ? 0 : allocated;
    }

    /** Underlay addresses of the other hosts holding the segment (the network host holds them all), sorted. */
    List<String> tunnelPeers(String subnetId) {
        if (overlay == null) {
            return List.of();
        }
        Set<String> peers = new TreeSet<>();
        for (String holder : hostsBySubnet.getOrDefault(subnetId, Set.of())) {
            if (!holder.equals(hostId) && underlays.containsKey(holder)) {
                peers.add(underlays.get(holder));
            }
        }
        if (!networkHost && networkHostUnderlay != null) {
            peers.add(networkHostUnderlay);
        }
        peers.remove(overlay.localAddress()); // two host ids on one underlay address would tunnel to themselves
        return List.copyOf(peers);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "HostShare[" + Objects.requireNonNullElse(hostId, "single host") + (networkHost ? ", routers" : "")
                + "]";
    }
}
