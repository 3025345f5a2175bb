package io.goncloud.driver.ovs;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.driver.network.common.Desired;
import io.goncloud.driver.network.common.Link;
import io.goncloud.driver.network.common.Netns;
import io.goncloud.driver.network.common.OwnedNames;
import io.goncloud.driver.network.common.Reconciler;
import io.goncloud.driver.network.common.Tunnel;
import io.goncloud.driver.network.common.VxlanTunnels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host namespace's half of a pass (see {@link Reconciler} for the routers'), in four steps, each
 * skipped when it has nothing to do:
 * <ol>
 *   <li>OVS: delete orphan bridges, and ports that are orphans, on the wrong bridge or stale (their
 *       device gone or recreated since the port was added: the userspace datapath keeps reading the
 *       device it opened, so a recreated device needs its port removed and added again);</li>
 *   <li>ip: delete orphan interfaces; create the per-port Linux bridges, the port veths and the router
 *       veths;</li>
 *   <li>OVS: create the subnet bridges, add the router legs and the port taps (ovs-vswitchd creates the
 *       taps);</li>
 *   <li>ip: put each tap on its port's Linux bridge; keep the bridges' own internal ports down;</li>
 *   <li>the tunnels' flooding entries.</li>
 * </ol>
 * Segments that span hosts are joined by kernel VXLAN devices (the Linux-bridge driver's, {@link VxlanTunnels})
 * added to the subnet's OVS bridge as ports, not by OVS tunnel ports: see docs/networking.md for why.
 */
final class OvsHost implements Reconciler.HostSide {

    private static final Logger LOG = LoggerFactory.getLogger(OvsHost.class);

    /** Interface names this driver gives in the host namespace. */
    static final Pattern OWNED_LINK = OwnedNames.pattern(OvsNames::portBridge, OvsNames::portTap, Tunnel::device);

    /** Names of subnet bridges: OVS bridges with such a name that are not desired are orphans. */
    private static final Pattern SUBNET_BRIDGE = OwnedNames.of(List.of(HostNames::subnetBridge));

    /** An OVS port the desired state needs: a tap ovs-vswitchd makes, or a device of the host it opens. */
    private record OvsPort(String name, String bridge, boolean tap) {
    }

    private final Netns host;
    private final Ovsdb ovsdb;
    private final String datapathType;
    private final VxlanTunnels tunnels;

    OvsHost(Netns host, Ovsdb ovsdb, String datapathType) {
        this.host = host;
        this.ovsdb = ovsdb;
        this.datapathType = datapathType;
        this.tunnels = new VxlanTunnels(host);
    }

    @Override
    public boolean converge(Desired desired, Map<String, Link> links, Map<String, Reconciler.RouterState> routers) {
        boolean changed = false;
        Ovsdb.State ovs = ovsdb.read();
        String provider = desired.providerBridge();
        boolean providerOnOvs = provider != null && ovs.bridges().containsKey(provider);
        Map<String, OvsPort> wanted = wantedPorts(desired, providerOnOvs);
        Map<String, VxlanTunnels.Vxlan> vxlans = tunnels.observe(desired, links);

        List<List<String>> removals = removals(desired, ovs, wanted, links, vxlans);
        if (!removals.isEmpty()) {
            ovsdb.transact(removals);
            ovs = ovsdb.read();
            links = Reconciler.links(host); // ovs-vswitchd deleted the taps of the ports it removed
            changed = true;
        }

        List<String> lines = hostChanges(desired, links, routers, providerOnOvs, vxlans);
        if (!lines.isEmpty()) {
            host.batch(lines);
            links = Reconciler.links(host);
            changed = true;
        }

        List<List<String>> additions = additions(desired, ovs, wanted, links);
        if (!additions.isEmpty()) {
            ovsdb.transact(additions);
            links = Reconciler.links(host);
            changed = true;
        }

        List<String> finishing = finishing(desired, links);
        if (!finishing.isEmpty()) {
            host.batch(finishing);
            changed = true;
        }
        return tunnels.convergeFloodEntries(desired.tunnels()) || changed;
    }

    private static Map<String, OvsPort> wantedPorts(Desired desired, boolean providerOnOvs) {
        Map<String, OvsPort> wanted = new LinkedHashMap<>();
        for (Desired.RouterVeth veth : desired.routerVeths()) {
            if (desired.bridges().contains(veth.bridge()) || providerOnOvs) {
                wanted.put(veth.hostSide(), new OvsPort(veth.hostSide(), veth.bridge(), false));
            }
        }
        for (Desired.Port port : desired.ports()) {
            String tap = OvsNames.portTap(port.portId());
            wanted.put(tap, new OvsPort(tap, port.bridge(), true));
        }
        for (Tunnel tunnel : desired.tunnels()) {
            wanted.put(tunnel.device(), new OvsPort(tunnel.device(), tunnel.bridge(), false));
        }
        return wanted;
    }

    private static List<List<String>> removals(Desired desired, Ovsdb.State ovs, Map<String, OvsPort> wanted,
                                               Map<String, Link> links, Map<String, VxlanTunnels.Vxlan> vxlans) {
        List<List<String>> commands = new ArrayList<>();
        for (Ovsdb.Bridge bridge : ovs.bridges().values()) {
            if (SUBNET_BRIDGE.matcher(bridge.name()).matches() && !desired.bridges().contains(bridge.name())) {
                LOG.info("deleting OVS bridge {}: its subnet is no longer on this host", bridge.name());
                commands.add(List.of("del-br", bridge.name()));
                continue;
            }
            for (String port : bridge.ports()) {
                if (port.equals(bridge.name()) || !OWNED_LINK.matcher(port).matches()) {
                    continue; // the bridge's own port, or not the driver's
                }
                OvsPort want = wanted.get(port);
                if (want == null || !want.bridge().equals(bridge.name()) || stale(want, ovs, links)
                        || remade(port, desired, vxlans, links)) {
                    commands.add(List.of("del-port", bridge.name(), port));
                }
            }
        }
        return commands;
    }

    /** Whether an OVS port no longer serves: its device is gone, of the wrong kind, or recreated. */
    private static boolean stale(OvsPort want, Ovsdb.State ovs, Map<String, Link> links) {
        Ovsdb.Interface iface = ovs.interfaces().get(want.name());
        Link link = links.get(want.name());
        if (iface == null || link == null) {
            return true;
        }
        if (want.tap()) {
            return !"tap".equals(iface.type()) || !link.is("tun");
        }
        return !(iface.type().isEmpty() || "system".equals(iface.type()))
                || !String.valueOf(link.index()).equals(iface.ifindex());
    }

    /** Whether a tunnel device is about to be made again (its VNI or local address changed): its port goes first. */
    private static boolean remade(String port, Desired desired, Map<String, VxlanTunnels.Vxlan> vxlans,
                                  Map<String, Link> links) {
        return desired.tunnels().stream().anyMatch(t -> t.device().equals(port) && links.containsKey(port)
                && !VxlanTunnels.matches(links.get(port), vxlans.get(port), t));
    }

    private static List<String> hostChanges(Desired desired, Map<String, Link> links,
                                            Map<String, Reconciler.RouterState> routers, boolean providerOnOvs,
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
        int mtu = desired.segmentMtu();
        String provider = desired.providerBridge();
        if (provider != null && !providerOnOvs && !links.containsKey(provider)) {
            // The outside belongs to the operator; the driver only makes sure there is a bridge to plug into.
            lines.add("link add " + provider + " type bridge");
            lines.add("link set " + provider + " up");
        }
        for (Desired.Port port : desired.ports()) {
            String portBridge = OvsNames.portBridge(port.portId());
            if (!present.contains(portBridge)) {
                // The hybrid plug: the port device sits on a Linux bridge of its own, which passes bridged
                // IPv4 through the inet hooks (nf_call_iptables) so that the firewall tracks its connections.
                lines.add("link add " + portBridge + " type bridge nf_call_iptables 1");
                lines.add("link set " + portBridge + " addrgenmode none"); // no way to the host over IPv6
            }
            attach(lines, portBridge, null, present.contains(portBridge) ? links.get(portBridge) : null);
            Link existing = present.contains(port.device()) ? links.get(port.device()) : null;
            if (existing == null) {
                // The instance sees the platform's MAC address; the host side keeps a random one.
                lines.add("link add " + port.device() + " mtu " + mtu + " type veth peer name " + port.instanceSide()
                        + " mtu " + mtu + (port.macAddress() == null ? "" : " address " + port.macAddress()));
            } else {
                setMtu(lines, existing, mtu);
                setMtu(lines, links.get(port.instanceSide()), mtu); // if not yet moved into its instance
            }
            attach(lines, port.device(), portBridge, existing);
        }
        for (Tunnel tunnel : desired.tunnels()) {
            Link existing = present.contains(tunnel.device()) ? links.get(tunnel.device()) : null;
            if (existing == null) {
                lines.add(tunnel.add());
                // OVS reads it through a packet socket; the host's own stack has no business on it.
                lines.add("link set " + tunnel.device() + " addrgenmode none");
            } else {
                setMtu(lines, existing, tunnel.mtu());
            }
            attach(lines, tunnel.device(), null, existing);
        }
        for (Desired.RouterVeth veth : desired.routerVeths()) {
            if (!present.contains(veth.hostSide())) {
                lines.add(veth.add());
                // OVS reads this end through a packet socket; the host's own stack has no business on it.
                lines.add("link set " + veth.hostSide() + " addrgenmode none");
            } else if (veth.mtu() > 0) {
                setMtu(lines, links.get(veth.hostSide()), veth.mtu());
            }
            boolean onLinuxBridge = !desired.bridges().contains(veth.bridge()) && !providerOnOvs;
            attach(lines, veth.hostSide(), onLinuxBridge ? veth.bridge() : null,
                    present.contains(veth.hostSide()) ? links.get(veth.hostSide()) : null);
        }
        return lines;
    }

    /** Whether an existing host interface is right as it is (anything owned and not right is recreated). */
    private static boolean keep(Link link, Desired desired, Map<String, Link> links,
                                Map<String, Reconciler.RouterState> routers, Map<String, VxlanTunnels.Vxlan> vxlans) {
        String name = link.name();
        if (desired.bridges().contains(name)) {
            // The OVS bridge's internal port (a tap for the userspace datapath): ovs-vswitchd's to make and
            // delete; anything else by that name is in its way.
            return link.is("tun") || link.is("openvswitch");
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
            if (OvsNames.portBridge(port.portId()).equals(name)) {
                return link.is("bridge");
            }
            if (OvsNames.portTap(port.portId()).equals(name)) {
                return link.is("tun");
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

    private List<List<String>> additions(Desired desired, Ovsdb.State ovs, Map<String, OvsPort> wanted,
                                         Map<String, Link> links) {
        List<List<String>> commands = new ArrayList<>();
        for (String bridge : desired.bridges()) {
            Ovsdb.Bridge existing = ovs.bridges().get(bridge);
            if (existing == null) {
                commands.add(List.of("add-br", bridge));
            }
            if (existing == null || !datapathType.equals(existing.datapathType())) {
                commands.add(List.of("set", "bridge", bridge, "datapath_type=" + datapathType));
            }
        }
        for (OvsPort port : wanted.values()) {
            if (port.bridge().equals(ovs.bridgeOf(port.name()))) {
                continue;
            }
            commands.add(List.of("add-port", port.bridge(), port.name()));
            if (port.tap()) {
                commands.add(List.of("set", "interface", port.name(), "type=tap"));
            } else {
                Link device = links.get(port.name());
                if (device == null) {
                    throw new DriverException("device " + port.name() + " vanished from " + host.describe()
                            + " before it could be added to OVS bridge " + port.bridge());
                }
                commands.add(List.of("set", "interface", port.name(),
                        "external_ids:" + Ovsdb.IFINDEX_KEY + "=" + device.index()));
            }
        }
        return commands;
    }

    /** Taps onto their port bridges and up; the subnet bridges' internal ports down and without IPv6. */
    private List<String> finishing(Desired desired, Map<String, Link> links) {
        List<String> lines = new ArrayList<>();
        for (Desired.Port port : desired.ports()) {
            String tap = OvsNames.portTap(port.portId());
            Link link = links.get(tap);
            if (link == null) {
                throw notInHost("tap " + tap);
            }
            if (!OvsNames.portBridge(port.portId()).equals(link.master()) && !link.up()) {
                lines.add("link set " + tap + " addrgenmode none");
            }
            attach(lines, tap, OvsNames.portBridge(port.portId()), link);
        }
        for (String bridge : desired.bridges()) {
            Link link = links.get(bridge);
            if (link == null) {
                throw notInHost("the internal port of bridge " + bridge);
            }
            if (link.up()) {
                // Instances must not reach the host through their segment.
                lines.add("link set " + bridge + " down");
            }
        }
        return lines;
    }

    private DriverException notInHost(String what) {
        return new DriverException("Open vSwitch created " + what + " outside " + host.describe()
                + ": ovs-vswitchd must run in the host namespace the driver is configured with");
    }

    private static void setMtu(List<String> lines, Link link, int mtu) {
        if (link != null && link.mtu() != mtu) {
            lines.add("link set " + link.name() + " mtu " + mtu);
        }
    }

    /** Puts an interface on a Linux bridge (if any) and up; {@code existing} is null for one just created. */
    private static void attach(List<String> lines, String name, String bridge, Link existing) {
        if (bridge != null && (existing == null || !bridge.equals(existing.master()))) {
            lines.add("link set " + name + " master " + bridge);
        }
        if (existing == null || !existing.up()) {
            lines.add("link set " + name + " up");
        }
    }
}
