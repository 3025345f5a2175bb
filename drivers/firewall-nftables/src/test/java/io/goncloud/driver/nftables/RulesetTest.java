package io.goncloud.driver.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.network.FirewallPolicy.AclEntry;
import io.goncloud.api.spi.network.FirewallPolicy.Direction;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How rules and transactions are spelled for nft. No root needed. */
class RulesetTest {

    private static final String SUBNET = "1a1b2c3d-0000-4000-8000-000000000002";

    @Test
    void matchesSpellProtocolsPortsAndBlocks() {
        assertEquals(Optional.of("ip saddr { 10.0.0.0/16, 192.168.1.0/24 } tcp dport 80-90"),
                Match.of("tcp", 80, 90, "ip saddr", List.of("10.0.1.0/24", "10.0.0.0/16", "192.168.1.7/24"),
                        "IPV4"));
        assertEquals(Optional.of("udp dport 53"), Match.of("udp", 53, 53, "ip daddr", List.of("0.0.0.0/0"), "IPV4"));
        assertEquals(Optional.of("ip daddr 10.0.0.5/32 ip protocol tcp"),
                Match.of("tcp", 0, 65535, "ip daddr", List.of("10.0.0.5"), "IPV4"));
        assertEquals(Optional.of("ip protocol icmp icmp type 8"),
                Match.of("icmp", 8, -1, "ip saddr", List.of("0.0.0.0/0"), "IPV4"));
        assertEquals(Optional.of("ip protocol icmp"),
                Match.of("icmp", -1, -1, "ip saddr", List.of("0.0.0.0/0"), "IPV4"));
        assertEquals(Optional.of("IPV4"), Match.of("all", 0, 65535, "ip saddr", List.of("0.0.0.0/0"), "IPV4"));
        assertEquals(Optional.empty(), Match.of("all", 0, 65535, "ip saddr", List.of(), "IPV4"), "no block: no match");
        assertThrows(DriverException.class, () -> Match.of("gre", 0, 0, "ip saddr", List.of("0.0.0.0/0"), "IPV4"));
        assertThrows(DriverException.class, () -> Match.of("tcp", 90, 80, "ip saddr", List.of("0.0.0.0/0"), "IPV4"));
        assertThrows(DriverException.class, () -> Match.of("tcp", 80, 80, "ip saddr",
                List.of("10.0.0.0/8 accept; flush ruleset"), "IPV4"), "user data never reaches nft unparsed");
    }

    @Test
    void subnetBridgesAndTheHybridPlugsPerPortBridgesAreTrackedEachInZonesOfTheirOwn() {
        NftTable conntrack = SecurityGroups.tables(List.of()).get(0);
        assertEquals("inet " + SecurityGroups.CT_TABLE, conntrack.id());
        List<String> zone = conntrack.baseChains().get(0).rules();
        assertEquals(List.of("iifname \"gcpb*\" ct zone set jhash iifname mod 65535 seed 0x67637a6e offset 1",
                "iifname \"gcpq*\" ct zone set jhash iifname mod 65535 seed 0x67637a6e offset 1"), zone,
                "a fixed seed: a bridge keeps its zone across applies");
        List<String> state = conntrack.baseChains().get(1).rules();
        assertEquals(6, state.size());
        assertTrue(state.stream().filter(r -> r.startsWith("iifname \"gcpq*\" ")).count() == 3, state.toString());
    }

    @Test
    void aclEntriesApplyInRuleNumberOrderAndEndInADrop() {
        NftTable table = NetworkAcls.table(List.of(new SubnetAcl("vpc", SUBNET, "10.0.1.0/24", List.of(
                new AclEntry(200, Direction.INBOUND, "all", 0, 65535, "0.0.0.0/0", true),
                new AclEntry(100, Direction.INBOUND, "tcp", 22, 22, "0.0.0.0/0", false),
                new AclEntry(100, Direction.OUTBOUND, "all", 0, 65535, "0.0.0.0/0", true)))));
        NftTable.Chain inbound = table.chains().stream()
                .filter(c -> c.name().startsWith("in_")).findFirst().orElseThrow();
        assertEquals(List.of("tcp dport 22 drop", "meta nfproto ipv4 return", "drop"), inbound.rules());
    }

    @Test
    void anIncrementalTransactionAddsOnlyNewChainsChangesOnlyChangedElementsAndDeletesStaleChainsLast() {
        NftTable.Chain kept = new NftTable.Chain(NftTable.contentName("in_a", List.of("drop")), List.of("drop"));
        NftTable.Chain added = new NftTable.Chain(NftTable.contentName("in_b", List.of("accept")), List.of("accept"));
        NftTable.BaseChain forward = NftTable.BaseChain.of("forward", "type filter hook forward priority filter;",
                List.of("iifname vmap @m"));
        NftTable table = new NftTable("bridge", "gcp_x", List.of(forward),
                List.of(new NftTable.Collection("map", "m", "ifname : verdict",
                        List.of("\"a\" : jump " + kept.name(), "\"b\" : jump " + added.name()))),
                List.of(kept, added));
        Observed existing = new Observed(Set.of(forward.name(), kept.name(), "in_b_stale"), Map.of("m",
                Set.of("\"a\" : jump " + kept.name(), "\"b\" : jump in_b_stale", "\"c\" : jump in_b_stale")));

        String script = Transaction.incremental(List.of(table), Map.of("bridge gcp_x", existing));

        assertEquals("add table bridge gcp_x\n"
                + "add chain bridge gcp_x " + added.name() + "\n"
                + "add rule bridge gcp_x " + added.name() + " accept\n"
                + "delete element bridge gcp_x m { \"b\", \"c\" }\n"
                + "add element bridge gcp_x m { \"b\" : jump " + added.name() + " }\n"
                + "flush chain bridge gcp_x in_b_stale\n"
                + "delete chain bridge gcp_x in_b_stale\n", script,
                "nothing about the kept chain, the base chain or the unchanged element");
        assertTrue(Transaction.replacement(List.of(table))
                .startsWith("add table bridge gcp_x\ndelete table bridge gcp_x\n"));
        assertTrue(Transaction.incremental(List.of(table), Map.of()).contains("add map bridge gcp_x m { type "
                + "ifname : verdict; }\n"), "a missing table is made whole");
    }

    @Test
    void theKernelsListingIsReadBackAsChainNamesAndElements() {
        Map<String, Observed> tables = Observed.parse("""
                table bridge gcp_sg {
                	set ports {
                		type ifname
                		elements = { "gcpp1",
                			     "gcpp2" }
                	}
                	set empty {
                		type ifname
                	}
                }
                table bridge gcp_sg {
                	map to_port {
                		type ifname : verdict
                		elements = { "gcpp1" : jump in_1_ab, "gcpp2" : jump in_2_cd }
                	}
                }
                table bridge gcp_sg {
                	chain egress_12 {
                		type filter hook forward priority filter; policy accept;
                	}
                	chain in_1_ab {
                	}
                }
                table inet other {
                }
                """);
        Observed sg = tables.get("bridge gcp_sg");
        assertEquals(Set.of("egress_12", "in_1_ab"), sg.chains());
        assertEquals(Map.of("ports", Set.of("\"gcpp1\"", "\"gcpp2\""), "empty", Set.of(),
                "to_port", Set.of("\"gcpp1\" : jump in_1_ab", "\"gcpp2\" : jump in_2_cd")), sg.elements());
        assertTrue(tables.containsKey("inet other"));
    }

    @Test
    void aRuleAddedToAPortWithThousandsOfRulesRewritesOneChunkAndThatPortsChainOnly() {
        String portId = "1a1b2c3d-0000-4000-8000-000000000009";
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rules.add(new Rule(Direction.INBOUND, "tcp", 10000 + i, 10000 + i, List.of("10.0.0.0/16")));
        }
        Set<String> before = chains(new PortPolicy(portId, "10.0.1.5", rules));
        rules.add(new Rule(Direction.INBOUND, "tcp", 22, 22, List.of("10.1.2.3/32")));
        Set<String> after = chains(new PortPolicy(portId, "10.0.1.5", rules));

        Set<String> added = new HashSet<>(after);
        added.removeAll(before);
        assertTrue(added.size() <= 3 && added.stream().filter(c -> c.startsWith("in_")).count() == 1,
                "the port's inbound chain and the one chunk the rule falls in (split in two at most): " + added);
        assertTrue(before.size() > 40, "5,000 rules come in chunks: " + before.size());
        NftTable filter = SecurityGroups.tables(List.of(new PortPolicy(portId, "10.0.1.5", rules))).get(1);
        int lines = filter.chains().stream().filter(c -> added.contains(c.name())).mapToInt(c -> c.rules().size()).sum();
        assertTrue(lines < 500, "lines the change writes: " + lines);
    }

    private static Set<String> chains(PortPolicy port) {
        Set<String> names = new HashSet<>();
        SecurityGroups.tables(List.of(port)).get(1).chains().forEach(c -> names.add(c.name()));
        return names;
    }

    @Test
    void contentNamesChangeExactlyWithTheRules() {
        assertEquals(NftTable.contentName("in_a", List.of("drop")), NftTable.contentName("in_a", List.of("drop")));
        assertNotEquals(NftTable.contentName("in_a", List.of("drop")), NftTable.contentName("in_a", List.of("accept")));
    }
}
