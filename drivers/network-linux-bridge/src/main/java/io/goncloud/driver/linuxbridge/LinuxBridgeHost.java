package io.goncloud.driver.linuxbridge;

import io.goncloud.driver.network.common.Desired;
import io.goncloud.driver.network.common.Link;
import io.goncloud.driver.network.common.Netns;
import io.goncloud.driver.network.common.OwnedNames;
import io.goncloud.driver.network.common.Reconciler;
import io.goncloud.driver.network.common.Tunnel;
import io.goncloud.driver.network.common.VxlanTunnels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host namespace's half of a pass (see {@link Reconciler} for the routers'): subnets as Linux bridges,
 * ports as veth pairs on them, router veths' host halves on the bridges, segments that span hosts joined by
 * VXLAN devices ({@link VxlanTunnels}), all through one {@code ip -batch}; then the tunnels' flooding
 * entries. Every device of a segment carries the segment's MTU ({@link Desired#segmentMtu}).
 */
final class LinuxBridgeHost implements Reconciler.HostSide {

    /** Interface names this driver gives in the host namespace. */
    static final Pattern OWNED_LINK = OwnedNames.pattern(Tunnel::device);

    private final Netns host;
    private final VxlanTunnels tunnels;

    LinuxBridgeHost(Netns host) {
        this.host = host;
        this.tunnels = new VxlanTunnels(host);
    }

    @Override
    public boolean converge(Desired desired, Map<String, Link> links, Map<String, Reconciler.RouterState> routers) {
        Map<String, VxlanTunnels.Vxlan> vxlans = tunnels.observe(desired, links);
        List<String> changes = hostChanges(desired, links, routers, vxlans);
        host.batch(changes);
        boolean floodingChanged = tunnels.convergeFloodEntries(desired.tunnels());
        return !changes.isEmpty() || floodingChanged;
    }

    private static List<String> hostChanges(Desired desired, Map<String, Link> links,
                                            Map<String, Reconciler.RouterState> routers,
                                            Map<String, VxlanTunnels.Vxlan> vxlans) {
        Set<String> present = new HashSet<>();
        for (Link link : links.values()) {
            if (keep(link, desired, links, routers, vxlans)) {
                present.add(link.name());
            }
        }
        List<String> lines = new ArrayList<>();
        Set<String> deleted = new HashSet<>();
        for (Link link : links.values()) {
            if (OWNED_LINK.matcher(link.name()).matches() && !present.contains(link.name())
                    && !deleted.contains(link.name())) {
                lines.add("link del " + link.name());
                deleted.add(link.name());
                if (link.localPeer() != null) {
                    deleted.add(link.localPeer()); // a veth pair goes as a whole
                }
            }
        }
        if (desired.providerBridge() != null && !links.containsKey(desired.providerBridge())) {
            // The outside belongs to the operator; the driver only makes sure there is a bridge to plug into.
            lines.add("link add " + desired.providerBridge() + " type bridge");
            lines.add("link set " + desired.providerBridge() + " up");
        }
        int mtu = desired.segmentMtu();
        for (String bridge : desired.bridges()) {
            if (!present.contains(bridge)) {
                // nf_call_iptables: bridged IPv4 passes the inet hooks, so that a firewall sees it with
                // conntrack even where the bridge family has none; without br_netfilter it does nothing.
                lines.add("link add " + bridge + " mtu " + mtu + " type bridge nf_call_iptables 1");
                // No IPv6 link-local address: instances must not reach the host through their segment.
                lines.add("link set " + bridge + " addrgenmode none");
            }
            attach(lines, bridge, null, present.contains(bridge) ? links.get(bridge) : null);
        }
        for (Desired.Port port : desired.ports()) {
            Link existing = present.contains(port.device()) ? links.get(port.device()) : null;
            if (existing == null) {
                // The instance sees the platform's MAC address; the host side keeps a random one.
                lines.add("link add " + port.device() + " mtu " + mtu + " type veth peer name " + port.instanceSide()
                        + " mtu " + mtu + (port.macAddress() == null ? "" : " address " + port.macAddress()));
            } else {
                setMtu(lines, existing, mtu);
                Link instanceSide = links.get(port.instanceSide());
                if (instanceSide != null) {
                    setMtu(lines, instanceSide, mtu); // not yet moved into its instance
                }
            }
            attach(lines, port.device(), port.bridge(), existing);
        }
        for (Desired.RouterVeth veth : desired.routerVeths()) {
            Link existing = present.contains(veth.hostSide()) ? links.get(veth.hostSide()) : null;
            if (existing == null) {
                lines.add(veth.add());
            } else if (veth.mtu() > 0) {
                setMtu(lines, existing, veth.mtu());
            }
            attach(lines, veth.hostSide(), veth.bridge(), existing);
        }
        for (Tunnel tunnel : desired.tunnels()) {
            Link existing = present.contains(tunnel.device()) ? links.get(tunnel.device()) : null;
            if (existing == null) {
                lines.add(tunnel.add());
                // Like the bridge: no IPv6 address, so the host itself never speaks into a tenant's segment.
                lines.add("link set " + tunnel.device() + " addrgenmode none");
            } else {
                setMtu(lines, existing, tunnel.mtu());
            }
            attach(lines, tunnel.device(), tunnel.bridge(), existing);
        }
        for (String bridge : desired.bridges()) {
            // Last: a bridge takes no MTU larger than its ports' until they have it.
            if (present.contains(bridge)) {
                setMtu(lines, links.get(bridge), mtu);
            }
        }
        return lines;
    }

    /** Whether an existing host interface is right as it is (anything owned and not right is recreated). */
    private static boolean keep(Link link, Desired desired, Map<String, Link> links,
                                Map<String, Reconciler.RouterState> routers, Map<String, VxlanTunnels.Vxlan> vxlans) {
        String name = link.name();
        if (desired.bridges().contains(name)) {
            return link.is("bridge");
        }
        for (Desired.Port port : desired.ports()) {
            if (port.device().equals(name)) {
                return link.is("veth");
            }
            if (port.instanceSide().equals(name)) {
                // Still on the host, waiting for the compute driver; a stray one without its port device
                // would block recreating the pair.
                Link device = links.get(port.device());
                return device != null && device.is("veth");
            }
        }
        for (Desired.RouterVeth veth : desired.routerVeths()) {
            if (veth.hostSide().equals(name)) {
                Link routerSide = routers.get(veth.router()).links().get(veth.routerSide());
                return link.is("veth") && routerSide != null && routerSide.is("veth");
            }
        }
        for (Tunnel tunnel : desired.tunnels()) {
            if (tunnel.device().equals(name)) {
                return VxlanTunnels.matches(link, vxlans.get(name), tunnel);
            }
        }
        return !OWNED_LINK.matcher(name).matches(); // not ours: never touched
    }

    private static void setMtu(List<String> lines, Link link, int mtu) {
        if (link.mtu() != mtu) {
            lines.add("link set " + link.name() + " mtu " + mtu);
        }
    }

    /** Puts an interface on its bridge (if any) and up; {@code existing} is null for one just created. */
    private static void attach(List<String> lines, String name, String bridge, Link existing) {
        if (bridge != null && (existing == null || !bridge.equals(existing.master()))) {
            lines.add("link set " + name + " master " + bridge);
        }
        if (existing == null || !existing.up()) {
            lines.add("link set " + name + " up");
        }
    }
}
