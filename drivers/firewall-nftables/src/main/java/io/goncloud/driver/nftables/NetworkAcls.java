package io.goncloud.driver.nftables;

import io.goncloud.api.spi.network.FirewallPolicy.AclEntry;
import io.goncloud.api.spi.network.FirewallPolicy.Direction;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import io.goncloud.api.spi.network.HostNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The network ACLs of one VPC as table {@code inet gcp_acl} of its router namespace, on the forward
 * hook: what leaves the router into a subnet ({@code oifname} its leg) meets the subnet's inbound
 * entries, what enters from it ({@code iifname}) the outbound ones. Entries apply in ascending rule
 * number, the first match decides, and a final drop ends each list. Stateless by design: no conntrack
 * match, so replies need entries of their own.
 */
final class NetworkAcls {

    static final String TABLE = "gcp_acl";

    private static final String IPV4 = "meta nfproto ipv4";

    private NetworkAcls() {
    }

    static NftTable table(List<SubnetAcl> acls) {
        List<NftTable.Chain> chains = new ArrayList<>();
        List<String> inbound = new ArrayList<>();
        List<String> outbound = new ArrayList<>();
        for (SubnetAcl acl : acls) {
            String leg = '"' + HostNames.routerLeg(acl.subnetId()) + '"';
            String shortId = HostNames.shortId(acl.subnetId());
            NftTable.Chain in = chain("in_" + shortId, acl, Direction.INBOUND);
            NftTable.Chain out = chain("out_" + shortId, acl, Direction.OUTBOUND);
            chains.add(in);
            chains.add(out);
            inbound.add(leg + " : jump " + in.name());
            outbound.add(leg + " : jump " + out.name());
        }
        // Traffic between two subnets passes the sender's outbound and then the receiver's inbound entries:
        // an allowing entry returns here rather than accepting.
        NftTable.BaseChain forward = NftTable.BaseChain.of("forward",
                "type filter hook forward priority filter; policy accept;", List.of(
                "iifname vmap @outbound",
                "oifname vmap @inbound"));
        return new NftTable("inet", TABLE, List.of(forward), List.of(
                new NftTable.Collection("map", "inbound", "ifname : verdict", inbound),
                new NftTable.Collection("map", "outbound", "ifname : verdict", outbound)), chains);
    }

    private static NftTable.Chain chain(String prefix, SubnetAcl acl, Direction direction) {
        // The peer is the source of what comes in, the destination of what goes out.
        String peerField = direction == Direction.INBOUND ? "ip saddr" : "ip daddr";
        List<String> rules = new ArrayList<>();
        acl.entries().stream()
                .filter(e -> e.direction() == direction)
                .sorted(Comparator.comparingInt(AclEntry::ruleNumber))
                .forEach(e -> Match.of(e.protocol(), e.fromPort(), e.toPort(), peerField, List.of(e.cidr()), IPV4)
                        .ifPresent(match -> rules.add(match + (e.allow() ? " return" : " drop"))));
        rules.add("drop");
        return new NftTable.Chain(NftTable.contentName(prefix, rules), rules);
    }
}
