package io.goncloud.driver.network.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Provider;
import io.goncloud.api.spi.network.HostNetwork.PublicIpMapping;
import io.goncloud.api.spi.network.HostNetwork.Route;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How the desired state is spelled for the kernel, and how the kernel's answers are read. No root needed. */
class DesiredTest {

    private static final String VPC = "0a1b2c3d-0000-4000-8000-000000000001";
    private static final String SUBNET = "1a1b2c3d-0000-4000-8000-000000000002";
    private static final Provider PROVIDER = new Provider("prov0", "203.0.113.0/24", "203.0.113.1");

    @Test
    void internetRoutesExistOnlyWithAnUplinkAndLocalRoutesNeedNone() {
        List<Route> routes = List.of(new Route(SUBNET, "10.0.0.0/16", "local", "local", null),
                new Route(SUBNET, "0.0.0.0/0", "igw", "igw-1", null),
                new Route(SUBNET, "192.0.2.0/24", "instance", "i-1", "10.0.1.50"),
                new Route(SUBNET, "198.51.100.0/24", "nat", "nat-1", null));
        SubnetNetwork subnet = new SubnetNetwork(SUBNET, "10.0.1.0/24", "10.0.1.1", List.of());
        int table = Desired.routeTable(SUBNET);
        String leg = HostNames.routerLeg(SUBNET);

        Desired attached = Desired.of(new HostNetwork(PROVIDER, List.of(new VpcNetwork(VPC, "10.0.0.0/16",
                List.of(subnet), routes, "203.0.113.10", List.of(new PublicIpMapping("203.0.113.50", "10.0.1.10"))))));
        Desired.Router router = attached.routers().get(HostNames.routerNamespace(VPC));
        assertEquals(Set.of(new RouteSpec(table, "unicast", "0.0.0.0/0", "203.0.113.1", HostNames.routerUplink(VPC)),
                new RouteSpec(table, "unicast", "192.0.2.0/24", "10.0.1.50", leg)), router.routes());
        assertEquals(Set.of("203.0.113.10/24", "203.0.113.50/32"), router.addresses().get(HostNames.routerUplink(VPC)));
        assertEquals(Set.of("10.0.1.1/24"), router.addresses().get(leg));
        assertEquals("prov0", attached.providerBridge());
        assertEquals(List.of("0a:1a:1b:2c:3d:00", "0e:0a:1b:2c:3d:00"), attached.routerVeths().stream()
                .map(Desired.RouterVeth::routerSideMac).sorted().toList(), "the router's MACs follow from the ids");

        Desired detached = Desired.of(new HostNetwork(PROVIDER, List.of(new VpcNetwork(VPC, "10.0.0.0/16",
                List.of(subnet), routes, null, List.of()))));
        Desired.Router plain = detached.routers().get(HostNames.routerNamespace(VPC));
        assertEquals(Set.of(new RouteSpec(table, "unicast", "192.0.2.0/24", "10.0.1.50", leg)), plain.routes());
        assertNull(plain.nat());
        assertNull(detached.providerBridge(), "no VPC needs the provider bridge");
    }

    @Test
    void routeTablesAreDerivedFromIdsClearOfTheKernelTables() {
        assertEquals(10_000 + 0x1a1b2c3, Desired.routeTable(SUBNET));
        assertTrue(Desired.routeTable("ffffffff-ffff-4fff-8fff-ffffffffffff") > 0, "fits a positive int");
    }

    @Test
    void onlyNamesTheDriverGivesAreOwned() {
        Pattern owned = OwnedNames.pattern(id -> "gcpq" + HostNames.shortId(id));
        assertTrue(owned.matcher(HostNames.subnetBridge(SUBNET)).matches());
        assertTrue(owned.matcher(HostNames.uplinkPeer(VPC)).matches());
        assertTrue(owned.matcher("gcpq" + HostNames.shortId(VPC)).matches(), "a driver's own naming");
        assertFalse(OwnedNames.pattern().matcher("gcpq" + HostNames.shortId(VPC)).matches());
        assertFalse(owned.matcher("gcpkeep0").matches());
        assertFalse(owned.matcher("eth0").matches());
        assertEquals("gcpb", OwnedNames.prefix(HostNames::subnetBridge));
        assertEquals("gcpr-", Reconciler.ROUTER_PREFIX);
    }

    @Test
    void routersAreMarkedWithTheHostTheyServe() {
        assertEquals("gcp-router", Reconciler.ownerMark(Netns.own()));
        assertEquals("gcp-router@gcpt1-host", Reconciler.ownerMark(Netns.named("gcpt1-host")));
        assertThrows(DriverException.class, () -> new Reconciler(Netns.named("a b"), (d, l, r) -> false));
    }

    @Test
    void kernelAnswersAreRead() {
        List<Object> answers = Json.parseAll("""
                [{"ifindex":7,"ifname":"gcpp1","ifalias":"x","mtu":1450,"address":"02:00:00:00:00:01","flags":["BROADCAST","UP"],"master":"gcpb1","link":"gcpi1",
                  "linkinfo":{"info_kind":"veth"},"addr_info":[{"family":"inet","local":"10.0.0.1","prefixlen":24},
                  {"family":"inet6","local":"fe80::1","prefixlen":64}]}]
                [{"type":"unicast","dst":"default","gateway":"203.0.113.1","dev":"gcpx1","table":"10001"},
                 {"type":"unicast","dst":"10.0.1.0/24","dev":"gcpg1","table":"main"},
                 {"type":"unicast","dst":"192.0.2.7","gateway":"10.0.1.5","dev":"gcpg1","table":"10001"}]
                """);
        Map<String, Link> links = Link.parse(answers.get(0));
        assertEquals(new Link("gcpp1", 7, "veth", "gcpb1", true, Set.of("10.0.0.1/24"), "gcpi1", "x",
                "02:00:00:00:00:01", 1450), links.get("gcpp1"));
        assertEquals(Set.of(new RouteSpec(10001, "unicast", "0.0.0.0/0", "203.0.113.1", "gcpx1"),
                        new RouteSpec(10001, "unicast", "192.0.2.7/32", "10.0.1.5", "gcpg1")),
                RouteSpec.parseOwnTables(answers.get(1)));
    }

    @Test
    void invalidIdsAndAddressesAreDriverErrors() {
        assertThrows(DriverException.class, () -> Desired.of(new HostNetwork(null, List.of(new VpcNetwork("vpc-1",
                "10.0.0.0/16", List.of(), List.of(), null, List.of())))));
        assertThrows(DriverException.class, () -> Ipv4.address("10.0.0.256"));
        Provider injected = new Provider("prov0\nlink del eth0", "203.0.113.0/24", "203.0.113.1");
        assertThrows(DriverException.class, () -> Desired.of(new HostNetwork(injected, List.of(new VpcNetwork(VPC,
                "10.0.0.0/16", List.of(), List.of(), "203.0.113.10", List.of())))), "names never end an ip command");
    }

    @Test
    void segmentsThatSpanHostsGetTunnelsAndVpcsRoutedElsewhereGetNoRouter() {
        String other = "2a1b2c3d-0000-4000-8000-000000000003";
        String third = "3a1b2c3d-0000-4000-8000-000000000004";
        HostNetwork.Port port = new HostNetwork.Port("4a1b2c3d-0000-4000-8000-000000000005", "i-1", null, "10.0.1.10");
        HostNetwork network = new HostNetwork(null, List.of(new VpcNetwork(VPC, "10.0.0.0/16", List.of(
                new SubnetNetwork(SUBNET, "10.0.1.0/24", "10.0.1.1", List.of(port), 42,
                        List.of("192.168.0.2", "192.168.000.3", "192.168.0.1")),
                new SubnetNetwork(other, "10.0.2.0/24", "10.0.2.1", List.of(), 42, List.of("192.168.0.2")),
                new SubnetNetwork(third, "10.0.3.0/24", "10.0.3.1", List.of())), List.of(), null, List.of(), false)),
                new HostNetwork.Overlay("192.168.0.1", 1500));

        Desired desired = Desired.of(network);
        assertEquals(List.of(new Tunnel(Tunnel.device(SUBNET), HostNames.subnetBridge(SUBNET), 42, "192.168.0.1",
                Set.of("192.168.0.2", "192.168.0.3"), 1450)), desired.tunnels(),
                "peers respelled, this host left out; a second segment with the same VNI gets none; a local one none");
        assertEquals(1450, desired.segmentMtu());
        assertTrue(desired.routers().isEmpty() && desired.routerVeths().isEmpty(), "the router is elsewhere");
        assertEquals(3, desired.bridges().size());
        assertEquals(1, desired.ports().size());
        assertTrue(desired.hostNames().contains(Tunnel.device(SUBNET)));
        assertTrue(Tunnel.device(SUBNET).length() <= 15);

        Desired single = Desired.of(new HostNetwork(null, network.vpcs()));
        assertTrue(single.tunnels().isEmpty(), "peers but no overlay: no tunnel");
        assertEquals(Desired.DEFAULT_MTU, single.segmentMtu());
        assertThrows(DriverException.class, () -> Desired.of(new HostNetwork(null, network.vpcs(),
                new HostNetwork.Overlay("192.168.0.1", 600))), "an underlay too small for a segment");
    }
}
