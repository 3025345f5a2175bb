package io.goncloud.driver.nftables;

import io.goncloud.api.spi.network.FirewallPolicy.Direction;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.HostNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Security groups as two tables of the host namespace, committed together.
 *
 * <p>{@code bridge gcp_sg} filters on the port devices (bridge forward hook): established and related
 * traffic passes, invalid traffic drops, then a verdict map sends traffic leaving an instance
 * ({@code iifname}) to that port's {@code out_} chain and traffic towards it ({@code oifname}) to its
 * {@code in_} chain. A port chain returns for what a rule allows and drops the rest, so traffic between
 * two ports passes the sender's outbound and the receiver's inbound rules. Port devices with no policy
 * are dropped: an instance is never reachable before its groups are known.
 *
 * <p>{@code inet gcp_sg_ct} supplies conntrack. nftables has no conntrack in the bridge family without
 * nf_conntrack_bridge, which many kernels lack; br_netfilter (enabled per bridge with nf_call_iptables)
 * instead passes bridged IPv4 through the inet hooks with the bridge as device. There each subnet bridge
 * gets its own conntrack zone (VPCs may overlap: the same addresses on two bridges are different flows),
 * and the state is handed to the bridge table in two bits of the packet mark. Where the network driver
 * hybrid-plugs its ports (Open vSwitch: each port device on a Linux bridge of its own, {@code gcpq<port>},
 * between the instance and the switch), the per-port bridges are tracked the same way, a zone each: a
 * packet between two such ports is tracked once on the sender's bridge (its outbound rules) and once on
 * the receiver's (its inbound rules), and replies are established in both zones. The mark is scrubbed when
 * the packet crosses into another namespace, so neither instances nor routers can forge it.
 */
final class SecurityGroups {

    static final String TABLE = "gcp_sg";
    static final String CT_TABLE = "gcp_sg_ct";

    static final String ESTABLISHED = "0x40000000";
    static final String INVALID = "0x20000000";
    private static final String OUR_BITS_CLEARED = "0x9fffffff";

    /**
     * The seed of the zone hash. Without one the kernel draws a random seed for every rule it loads, and
     * the base chains are reloaded on every commit: each apply would move every bridge to a new zone,
     * where its established flows are unknown (loose TCP pickup hides that only while a rule still
     * allows the flow).
     */
    static final String ZONE_SEED = "0x67637a6e";

    private static final String IPV4 = "ether type ip";

    /** A DHCP client's broadcast before it has an address. */
    private static final String DHCP_DISCOVERY = "ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67";

    private SecurityGroups() {
    }

    static List<NftTable> tables(List<PortPolicy> ports) {
        return List.of(conntrackTable(), filterTable(ports));
    }

    private static NftTable conntrackTable() {
        List<String> zone = new ArrayList<>();
        List<String> state = new ArrayList<>();
        for (String prefix : HostPrefixes.TRACKED_BRIDGES) {
            String bridges = "iifname " + HostPrefixes.wildcard(prefix);
            zone.add(bridges + " ct zone set jhash iifname mod 65535 seed " + ZONE_SEED + " offset 1");
            state.add(bridges + " meta mark set meta mark and " + OUR_BITS_CLEARED);
            state.add(bridges + " ct state established,related meta mark set meta mark or " + ESTABLISHED);
            state.add(bridges + " ct state invalid meta mark set meta mark or " + INVALID);
        }
        return new NftTable("inet", CT_TABLE, List.of(
                // Before conntrack (priority -200) looks the packet up.
                new NftTable.BaseChain("zone", "type filter hook prerouting priority raw; policy accept;", zone),
                new NftTable.BaseChain("state", "type filter hook prerouting priority filter; policy accept;", state)),
                List.of(), List.of());
    }

    private static NftTable filterTable(List<PortPolicy> ports) {
        List<NftTable.Chain> chains = new ArrayList<>();
        List<String> toPort = new ArrayList<>();
        List<String> fromPort = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (PortPolicy port : ports) {
            String device = HostNames.portDevice(port.portId());
            String shortId = HostNames.shortId(port.portId());
            NftTable.Chain in = chain("in_" + shortId, inboundRules(port));
            NftTable.Chain out = chain("out_" + shortId, outboundRules(port));
            chains.add(in);
            chains.add(out);
            toPort.add('"' + device + "\" : jump " + in.name());
            fromPort.add('"' + device + "\" : jump " + out.name());
            devices.add('"' + device + '"');
        }
        String portsWildcard = HostPrefixes.wildcard(HostPrefixes.PORT_DEVICES);
        // The conntrack bits were set in prerouting, before the bridge chose the output port.
        NftTable.BaseChain forward = new NftTable.BaseChain("forward",
                "type filter hook forward priority filter; policy accept;", List.of(
                "ether type arp accept",
                "meta mark & " + ESTABLISHED + " == " + ESTABLISHED + " accept",
                "meta mark & " + INVALID + " == " + INVALID + " drop",
                // DHCP: only the router's server answers (instances' answers drop), and a client without an
                // address yet (source 0.0.0.0, so no port chain would let it out) reaches it.
                "iifname @ports udp sport 67 udp dport 68 drop",
                "iifname @ports oifname != @ports " + DHCP_DISCOVERY + " accept",
                "iifname != @ports oifname @ports udp sport 67 udp dport 68 accept",
                "iifname " + portsWildcard + " iifname != @ports drop",
                "oifname " + portsWildcard + " oifname != @ports drop",
                "iifname vmap @from_port",
                "oifname vmap @to_port"));
        return new NftTable("bridge", TABLE, List.of(forward), List.of(
                new NftTable.Collection("set", "ports", "ifname", devices),
                new NftTable.Collection("map", "from_port", "ifname : verdict", fromPort),
                new NftTable.Collection("map", "to_port", "ifname : verdict", toPort)), chains);
    }

    private static List<String> inboundRules(PortPolicy port) {
        List<String> rules = new ArrayList<>();
        for (Rule rule : port.rules()) {
            if (rule.direction() == Direction.INBOUND) {
                Match.of(rule.protocol(), rule.fromPort(), rule.toPort(), "ip saddr", rule.cidrs(), IPV4)
                        .ifPresent(match -> rules.add(match + " return"));
            }
        }
        return rules;
    }

    private static List<String> outboundRules(PortPolicy port) {
        List<String> rules = new ArrayList<>();
        if (port.ipAddress() != null) {
            // An instance speaks only from its own address: rules naming other instances' addresses as
            // peers must not be satisfiable by spoofing.
            rules.add("ip saddr != " + Ipv4.network(port.ipAddress()) + " drop");
        }
        rules.add("udp sport 68 udp dport 67 return"); // DHCP renewals, whatever the groups allow
        for (Rule rule : port.rules()) {
            if (rule.direction() == Direction.OUTBOUND) {
                Match.of(rule.protocol(), rule.fromPort(), rule.toPort(), "ip daddr", rule.cidrs(), IPV4)
                        .ifPresent(match -> rules.add(match + " return"));
            }
        }
        return rules;
    }

    /** A port chain: the allowing rules, then the drop that makes everything else denied. */
    private static NftTable.Chain chain(String prefix, List<String> allowing) {
        List<String> rules = new ArrayList<>(allowing);
        rules.add("drop");
        return new NftTable.Chain(NftTable.contentName(prefix, rules), rules);
    }
}
