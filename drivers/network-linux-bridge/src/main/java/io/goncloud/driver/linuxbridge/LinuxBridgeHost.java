package io.goncloud.driver.linuxbridge;

import io.goncloud.driver.network.common.Desired;
import io.goncloud.driver.network.common.Link;
import io.goncloud.driver.network.common.Netns;
import io.goncloud.driver.network.common.OwnedNames;
import io.goncloud.driver.network.common.Reconciler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host namespace's half of a pass (see {@link Reconciler} for the routers'): subnets as Linux bridges,
 * ports as veth pairs on them, router veths' host halves on the bridges, all through one {@code ip -batch}.
 */
final class LinuxBridgeHost implements Reconciler.HostSide {

    /** Interface names this driver gives in the host namespace. */
    static final Pattern OWNED_LINK = OwnedNames.pattern();

    private final Netns host;

    LinuxBridgeHost(Netns host) {
        this.host = host;
    }

    @Override
    public boolean converge(Desired desired, Map<String, Link> links, Map<String, Reconciler.RouterState> routers) {
        List<String> changes = hostChanges(desired, links, routers);
        host.batch(changes);
        return !changes.isEmpty();
    }

    private static List<String> hostChanges(Desired desired, Map<String, Link> links,
                                            Map<String, Reconciler.RouterState> routers) {
        Set<String> present = new HashSet<>();
        for (Link link : links.values()) {
            if (keep(link, desired, links, routers)) {
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
        for (String bridge : desired.bridges()) {
            if (!present.contains(bridge)) {
                // nf_call_iptables: bridged IPv4 passes the inet hooks, so that a firewall sees it with
                // conntrack even where the bridge family has none; without br_netfilter it does nothing.
                lines.add("link add " + bridge + " type bridge nf_call_iptables 1");
                // No IPv6 link-local address: instances must not reach the host through their segment.
                lines.add("link set " + bridge + " addrgenmode none");
            }
            attach(lines, bridge, null, present.contains(bridge) ? links.get(bridge) : null);
        }
        for (Desired.Port port : desired.ports()) {
            if (!present.contains(port.device())) {
                // The instance sees the platform's MAC address; the host side keeps a random one.
                lines.add("link add " + port.device() + " type veth peer name " + port.instanceSide()
                        + (port.macAddress() == null ? "" : " address " + port.macAddress()));
            }
            attach(lines, port.device(), port.bridge(),
                    present.contains(port.device()) ? links.get(port.device()) : null);
        }
        for (Desired.RouterVeth veth : desired.routerVeths()) {
            if (!present.contains(veth.hostSide())) {
                lines.add(veth.add());
            }
            attach(lines, veth.hostSide(), veth.bridge(),
                    present.contains(veth.hostSide()) ? links.get(veth.hostSide()) : null);
        }
        return lines;
    }

    /** Whether an existing host interface is right as it is (anything owned and not right is recreated). */
    private static boolean keep(Link link, Desired desired, Map<String, Link> links, Map<String, Reconciler.RouterState> routers) {
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
        return !OWNED_LINK.matcher(name).matches(); // not ours: never touched
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
