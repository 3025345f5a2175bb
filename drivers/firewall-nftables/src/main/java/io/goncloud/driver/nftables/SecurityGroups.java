package io.goncloud.driver.nftables;

import io.goncloud.api.spi.network.FirewallPolicy.Direction;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.HostNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Security groups as two tables of the host namespace, committed together.
 *
 * <p>{@code bridge gcp_sg} filters on the port devices (bridge forward hook), in two base chains:
 * {@code egress_} sends traffic leaving an instance ({@code iifname}) through a verdict map to that
 * port's {@code out_} chain, {@code ingress_} (next priority) traffic towards one ({@code oifname}) to
 * its {@code in_} chain; established and related traffic passes both, invalid traffic drops. A port
 * chain jumps to the chunks ({@code sg_}) of its groups' rules, where an allowed packet is accepted
 * (which ends only that base chain), and drops the rest, so traffic between two ports passes the
 * sender's outbound and the receiver's inbound rules. Port devices with no policy are dropped: an
 * instance is never reachable before its groups are known.
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
     * the base chains are reloaded whenever they change: each time every bridge would move to a new zone,
     * where its established flows are unknown (loose TCP pickup hides that only while a rule still
     * allows the flow).
     */
    static final String ZONE_SEED = "0x67637a6e";

    private static final String IPV4 = "ether type ip";

    /** Rules per chunk chain on average (2^CHUNK_BITS), and at most (a long run without a cut). */
    static final int CHUNK_BITS = 6;
    static final int MAX_CHUNK = 4 << CHUNK_BITS;

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
                NftTable.BaseChain.of("zone", "type filter hook prerouting priority raw; policy accept;", zone),
                NftTable.BaseChain.of("state", "type filter hook prerouting priority filter; policy accept;", state)),
                List.of(), List.of());
    }

    private static NftTable filterTable(List<PortPolicy> ports) {
        Map<String, NftTable.Chain> chains = new LinkedHashMap<>(); // group chunks first, then port chains
        List<NftTable.Chain> portChains = new ArrayList<>();
        List<String> toPort = new ArrayList<>();
        List<String> fromPort = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (PortPolicy port : ports) {
            String device = HostNames.portDevice(port.portId());
            String shortId = HostNames.shortId(port.portId());
            NftTable.Chain in = portChain("in_" + shortId, List.of(), allowing(port, Direction.INBOUND), chains);
            NftTable.Chain out = portChain("out_" + shortId, outboundPrologue(port), allowing(port, Direction.OUTBOUND),
                    chains);
            portChains.add(in);
            portChains.add(out);
            toPort.add('"' + device + "\" : jump " + in.name());
            fromPort.add('"' + device + "\" : jump " + out.name());
            devices.add('"' + device + '"');
        }
        portChains.forEach(c -> chains.put(c.name(), c));
        String portsWildcard = HostPrefixes.wildcard(HostPrefixes.PORT_DEVICES);
        // Two base chains, so that an allowing rule can accept: accept ends only its own base chain, and
        // the packet still meets the receiving port's inbound rules in the next one. The conntrack bits
        // were set in prerouting, before the bridge chose the output port.
        NftTable.BaseChain egress = NftTable.BaseChain.of("egress",
                "type filter hook forward priority filter; policy accept;", List.of(
                "ether type arp accept",
                "meta mark & " + ESTABLISHED + " == " + ESTABLISHED + " accept",
                "meta mark & " + INVALID + " == " + INVALID + " drop",
                // DHCP: only the router's server answers (instances' answers drop), and a client without an
                // address yet (source 0.0.0.0, so no port chain would let it out) reaches it.
                "iifname @ports udp sport 67 udp dport 68 drop",
                "iifname @ports oifname != @ports " + DHCP_DISCOVERY + " accept",
                "iifname " + portsWildcard + " iifname != @ports drop",
                "iifname vmap @from_port"));
        NftTable.BaseChain ingress = NftTable.BaseChain.of("ingress",
                "type filter hook forward priority filter + 10; policy accept;", List.of(
                "ether type arp accept",
                "meta mark & " + ESTABLISHED + " == " + ESTABLISHED + " accept",
                "iifname != @ports oifname @ports udp sport 67 udp dport 68 accept",
                "oifname " + portsWildcard + " oifname != @ports drop",
                "oifname vmap @to_port"));
        return new NftTable("bridge", TABLE, List.of(egress, ingress), List.of(
                new NftTable.Collection("set", "ports", "ifname", devices),
                new NftTable.Collection("map", "from_port", "ifname : verdict", fromPort),
                new NftTable.Collection("map", "to_port", "ifname : verdict", toPort)), List.copyOf(chains.values()));
    }

    /** What an outbound chain checks before the groups' rules. */
    private static List<String> outboundPrologue(PortPolicy port) {
        List<String> rules = new ArrayList<>();
        if (port.ipAddress() != null) {
            // An instance speaks only from its own address: rules naming other instances' addresses as
            // peers must not be satisfiable by spoofing.
            rules.add("ip saddr != " + Ipv4.network(port.ipAddress()) + " drop");
        }
        rules.add("udp sport 68 udp dport 67 accept"); // DHCP renewals, whatever the groups allow
        return rules;
    }

    /** The port's allowing rules in one direction, each accepting, sorted and without repeats. */
    private static List<String> allowing(PortPolicy port, Direction direction) {
        // The peer is the source of what comes in, the destination of what goes out.
        String peerField = direction == Direction.INBOUND ? "ip saddr" : "ip daddr";
        TreeSet<String> rules = new TreeSet<>(); // allow rules commute: their order is free, so canonical
        for (Rule rule : port.rules()) {
            if (rule.direction() == direction) {
                Match.of(rule.protocol(), rule.fromPort(), rule.toPort(), peerField, rule.cidrs(), IPV4)
                        .ifPresent(match -> rules.add(match + " accept"));
            }
        }
        return List.copyOf(rules);
    }

    /**
     * A port chain: {@code prologue}, a jump to each chunk of the allowing rules, then the drop that makes
     * everything else denied. The chunks are content-named chains shared by every port with the same
     * rules, and cut where content says (a rule whose hash ends in {@link #CHUNK_BITS} zero bits ends its
     * chunk), not by position: a rule added or removed changes its own chunk and the port chain's list of
     * jumps, never the other chunks, so the change costs about {@code CHUNK + rules / CHUNK} lines however
     * many rules the port has.
     */
    private static NftTable.Chain portChain(String prefix, List<String> prologue, List<String> allowing,
                                            Map<String, NftTable.Chain> chunks) {
        List<String> rules = new ArrayList<>(prologue);
        List<String> chunk = new ArrayList<>();
        for (int i = 0; i < allowing.size(); i++) {
            chunk.add(allowing.get(i));
            if (i == allowing.size() - 1 || endsChunk(allowing.get(i)) || chunk.size() >= MAX_CHUNK) {
                NftTable.Chain chain = new NftTable.Chain(NftTable.contentName("sg", chunk), List.copyOf(chunk));
                chunks.putIfAbsent(chain.name(), chain);
                rules.add("jump " + chain.name());
                chunk.clear();
            }
        }
        rules.add("drop");
        return new NftTable.Chain(NftTable.contentName(prefix, rules), rules);
    }

    static boolean endsChunk(String rule) {
        int hash = rule.hashCode() * 0x9E3779B1; // String.hashCode is specified, so names survive restarts
        return (hash >>> (32 - CHUNK_BITS)) == 0;
    }
}
