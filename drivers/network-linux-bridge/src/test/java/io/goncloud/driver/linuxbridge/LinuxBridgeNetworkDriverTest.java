package io.goncloud.driver.linuxbridge;

import static io.goncloud.driver.linuxbridge.Lab.ping;
import static io.goncloud.driver.linuxbridge.Lab.pingFails;
import static io.goncloud.driver.linuxbridge.Lab.run;
import static io.goncloud.driver.linuxbridge.Lab.sh;
import static io.goncloud.driver.linuxbridge.Lab.tcpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.Provider;
import io.goncloud.api.spi.network.HostNetwork.PublicIpMapping;
import io.goncloud.api.spi.network.HostNetwork.Route;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.driver.network.common.Desired;
import io.goncloud.driver.network.common.Ipv4;
import io.goncloud.driver.network.common.NatTable;
import io.goncloud.driver.network.common.testing.DhcpScenario;
import io.goncloud.driver.network.common.testing.RouterScenarios;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver against the real kernel: each test builds a fake worker host as a network namespace, lets
 * the driver build the networks in it, plugs "instances" (namespaces holding the ports' instance sides)
 * and an "internet" namespace in, and sends real packets. Needs root, iproute2, nftables, ping, socat.
 */
class LinuxBridgeNetworkDriverTest {

    private static final Provider PROVIDER = new Provider("prov0", "203.0.113.0/24", "203.0.113.1");
    private static final String INTERNET = "203.0.113.1";

    private Lab lab;
    private String host;
    private LinuxBridgeNetworkDriver driver;
    private String dhcpStateDir;

    @BeforeAll
    static void requireNamespaces() {
        Lab.NAMES.assumeNamespacesWork();
        Lab.NAMES.removeLeftovers();
    }

    @BeforeEach
    void buildHost() {
        lab = new Lab();
        host = lab.namespace("host");
        dhcpStateDir = lab.dhcpStateDir();
        driver = new LinuxBridgeNetworkDriver(host, dhcpStateDir);
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void subnetsReachEachOtherThroughTheRouterAndAnotherApplyChangesNothing() {
        String vpc = lab.vpcId();
        String s1 = Lab.NAMES.id();
        String s2 = Lab.NAMES.id();
        String p1 = Lab.NAMES.id();
        String p2 = Lab.NAMES.id();
        String p3 = Lab.NAMES.id();
        HostNetwork network = new HostNetwork(null, List.of(vpc(vpc, "10.1.0.0/16",
                List.of(subnet(s1, "10.1.1.0/24", new Port(p1, Lab.NAMES.id(), "02:00:0a:01:01:0a", "10.1.1.10"),
                                port(p2, "10.1.1.11")),
                        subnet(s2, "10.1.2.0/24", port(p3, "10.1.2.10"))),
                List.of(new Route(s1, "10.1.0.0/16", "local", "local", null),
                        new Route(s1, "192.0.2.0/24", "instance", p3, "10.1.2.10")), null, List.of())));

        AppliedNetwork applied = driver.apply(network);

        assertEquals(HostNames.instanceSide(p1), applied.portDevices().get(p1));
        String i1 = lab.instance(host, HostNames.instanceSide(p1), "10.1.1.10/24", "10.1.1.1");
        lab.instance(host, HostNames.instanceSide(p2), "10.1.1.11/24", "10.1.1.1");
        String i3 = lab.instance(host, HostNames.instanceSide(p3), "10.1.2.10/24", "10.1.2.1");
        assertTrue(run("ip", "-n", i1, "link").contains("link/ether 02:00:0a:01:01:0a"), "the platform's MAC");
        assertTrue(ping(i1, "10.1.1.11"), "same subnet");
        assertTrue(ping(i1, "10.1.2.10"), "across subnets through the router");
        assertTrue(ping(i3, "10.1.2.1"), "own gateway");
        String router = HostNames.routerNamespace(vpc);
        assertTrue(sh("ip", "-n", router, "route", "show", "table", String.valueOf(Desired.routeTable(s1)))
                .contains("192.0.2.0/24 via 10.1.2.10 dev " + HostNames.routerLeg(s2)), "instance route");

        // Level-triggered: the same state again (with the instance sides moved away) changes nothing.
        String before = snapshot(router);
        driver.apply(network);
        assertEquals(before, snapshot(router));
        assertTrue(ping(i1, "10.1.2.10"));
    }

    @Test
    void vpcsWithOverlappingBlocksStayIsolated() {
        String vpcA = lab.vpcId();
        String vpcB = lab.vpcId();
        String subnetA = Lab.NAMES.id();
        String subnetB = Lab.NAMES.id();
        String a1 = Lab.NAMES.id();
        String b1 = Lab.NAMES.id();
        String b2 = Lab.NAMES.id();
        driver.apply(new HostNetwork(null, List.of(
                vpc(vpcA, "10.0.0.0/16", List.of(subnet(subnetA, "10.0.1.0/24", port(a1, "10.0.1.10"))),
                        List.of(), null, List.of()),
                vpc(vpcB, "10.0.0.0/16", List.of(subnet(subnetB, "10.0.1.0/24", port(b1, "10.0.1.10"),
                        port(b2, "10.0.1.20"))), List.of(), null, List.of()))));

        String instanceA1 = lab.instance(host, HostNames.instanceSide(a1), "10.0.1.10/24", "10.0.1.1");
        String instanceB1 = lab.instance(host, HostNames.instanceSide(b1), "10.0.1.10/24", "10.0.1.1");
        lab.instance(host, HostNames.instanceSide(b2), "10.0.1.20/24", "10.0.1.1");

        assertTrue(ping(instanceA1, "10.0.1.1"), "A reaches its own router");
        assertTrue(ping(instanceB1, "10.0.1.1"), "B reaches its own router, at the same address");
        assertTrue(ping(instanceB1, "10.0.1.20"), "B's instances reach each other");
        assertTrue(pingFails(instanceA1, "10.0.1.20"), "A must not reach B's instance at the same addresses");
    }

    @Test
    void publicAddressAndOutboundNatWorkOnlyWithUplinkAndInternetRouteAndStopOnDetach() {
        String vpc = lab.vpcId();
        String subnet = Lab.NAMES.id();
        String withPublic = Lab.NAMES.id();
        String privateOnly = Lab.NAMES.id();
        List<SubnetNetwork> subnets = List.of(subnet(subnet, "10.2.1.0/24", port(withPublic, "10.2.1.10"),
                port(privateOnly, "10.2.1.11")));
        List<PublicIpMapping> publicIps = List.of(new PublicIpMapping("203.0.113.50", "10.2.1.10"));
        Route local = new Route(subnet, "10.2.0.0/16", "local", "local", null);
        Route internet = new Route(subnet, "0.0.0.0/0", "igw", "igw-1", null);

        // Uplink and public address, but no route to the internet gateway yet.
        driver.apply(new HostNetwork(PROVIDER, List.of(vpc(vpc, "10.2.0.0/16", subnets, List.of(local),
                "203.0.113.10", publicIps))));
        assertTrue(Lab.exec(List.of("ip", "-n", host, "link", "show", "prov0")).ok(), "provider bridge created");
        String outside = lab.internet(host, "prov0", INTERNET + "/24");
        lab.peerEchoServer(outside, 80);
        String a = lab.instance(host, HostNames.instanceSide(withPublic), "10.2.1.10/24", "10.2.1.1");
        String b = lab.instance(host, HostNames.instanceSide(privateOnly), "10.2.1.11/24", "10.2.1.1");
        lab.peerEchoServer(a, 8080);
        assertTrue(pingFails(outside, "203.0.113.50"), "no route to the internet gateway: no answer");
        assertNull(tcpAnswer(b, INTERNET, 80, 0.5), "no route to the internet gateway: no way out");

        driver.apply(new HostNetwork(PROVIDER, List.of(vpc(vpc, "10.2.0.0/16", subnets, List.of(local, internet),
                "203.0.113.10", publicIps))));
        assertTrue(ping(outside, "203.0.113.50"), "public address answers from the internet");
        assertEquals(INTERNET, tcpAnswer(outside, "203.0.113.50", 8080, 2), "inbound TCP to the public address");
        assertEquals("203.0.113.10", tcpAnswer(b, INTERNET, 80, 2), "outbound NAT to the uplink address");
        assertEquals("203.0.113.50", tcpAnswer(a, INTERNET, 80, 2), "an instance with a public address uses it");

        // Internet gateway detached: the routes may still name it, nothing gets through.
        driver.apply(new HostNetwork(PROVIDER, List.of(vpc(vpc, "10.2.0.0/16", subnets, List.of(local, internet),
                null, publicIps))));
        assertTrue(pingFails(outside, "203.0.113.50"), "detached: public address gone");
        assertNull(tcpAnswer(b, INTERNET, 80, 0.5), "detached: no way out");
        String router = HostNames.routerNamespace(vpc);
        assertFalse(run("ip", "-n", router, "link").contains(HostNames.routerUplink(vpc)), "uplink removed");
        assertFalse(run("ip", "-n", host, "link").contains(HostNames.uplinkPeer(vpc)), "uplink peer removed");
        assertFalse(run("ip", "netns", "exec", router, "nft", "list", "tables").contains(NatTable.NAME), "NAT removed");
    }

    @Test
    void aDeletedBridgeAndAMissingGatewayAddressAreRepairedByTheNextApply() {
        String vpc = lab.vpcId();
        String subnet = Lab.NAMES.id();
        String p1 = Lab.NAMES.id();
        String p2 = Lab.NAMES.id();
        HostNetwork network = new HostNetwork(null, List.of(vpc(vpc, "10.3.0.0/16",
                List.of(subnet(subnet, "10.3.1.0/24", port(p1, "10.3.1.10"), port(p2, "10.3.1.11"))),
                List.of(), null, List.of())));
        driver.apply(network);
        String i1 = lab.instance(host, HostNames.instanceSide(p1), "10.3.1.10/24", "10.3.1.1");
        lab.instance(host, HostNames.instanceSide(p2), "10.3.1.11/24", "10.3.1.1");
        assertTrue(ping(i1, "10.3.1.11"));

        sh("ip", "-n", host, "link", "del", HostNames.subnetBridge(subnet));
        sh("ip", "-n", HostNames.routerNamespace(vpc), "addr", "flush", "dev", HostNames.routerLeg(subnet));
        assertTrue(pingFails(i1, "10.3.1.11"), "bridge gone");

        driver.apply(network);
        assertTrue(ping(i1, "10.3.1.11"), "bridge recreated, ports attached again");
        assertTrue(ping(i1, "10.3.1.1"), "gateway address restored");
    }

    @Test
    void orphansAreRemovedAndWhatTheDriverDoesNotNameIsKept() {
        String vpc = lab.vpcId();
        String kept = Lab.NAMES.id();
        String removed = Lab.NAMES.id();
        driver.apply(new HostNetwork(null, List.of(vpc(vpc, "10.4.0.0/16",
                List.of(subnet(kept, "10.4.1.0/24"), subnet(removed, "10.4.2.0/24")), List.of(), null, List.of()))));

        String staleRouter = HostNames.routerNamespace(lab.vpcId());
        sh("ip", "netns", "add", staleRouter);
        String staleBridge = HostNames.subnetBridge(Lab.NAMES.id());
        sh("ip", "-n", host, "link", "add", staleBridge, "type", "bridge");
        String stalePort = Lab.NAMES.id();
        sh("ip", "-n", host, "link", "add", HostNames.portDevice(stalePort), "type", "veth", "peer", "name",
                HostNames.instanceSide(stalePort));
        sh("ip", "-n", host, "link", "add", "keep0", "type", "bridge");
        sh("ip", "-n", host, "link", "add", "gcpkeep0", "type", "bridge");

        driver.apply(new HostNetwork(null, List.of(vpc(vpc, "10.4.0.0/16", List.of(subnet(kept, "10.4.1.0/24")),
                List.of(), null, List.of()))));

        String links = run("ip", "-n", host, "-o", "link");
        assertFalse(run("ip", "netns", "list").contains(staleRouter), "stale router namespace");
        assertFalse(links.contains(staleBridge), "stale bridge");
        assertFalse(links.contains(HostNames.portDevice(stalePort)), "stale port");
        assertFalse(links.contains(HostNames.subnetBridge(removed)), "bridge of a removed subnet");
        assertFalse(links.contains(HostNames.routerBridgeLeg(removed)), "router leg of a removed subnet");
        String router = HostNames.routerNamespace(vpc);
        assertFalse(run("ip", "-n", router, "rule").contains(HostNames.routerLeg(removed)), "rule of a removed subnet");
        assertTrue(links.contains(HostNames.subnetBridge(kept)), "desired bridge");
        assertTrue(links.contains(" keep0:"), "foreign bridge");
        assertTrue(links.contains(" gcpkeep0:"), "gcp-named, but no name the driver gives");
    }

    @Test
    void instancesGetTheirPortsAddressesFromTheSubnetsDhcpServer() throws Exception {
        DhcpScenario.run(lab, Lab.NAMES, host, driver::apply, dhcpStateDir);
    }

    @Test
    void routersKnowEveryPortsMacAndFollowAReusedAddress() {
        RouterScenarios.routersKnowEveryPortsMacAndFollowAReusedAddress(lab, Lab.NAMES, host, driver);
    }

    @Test
    void changesConvergeAndAFullPassRepairsEveryRouter() {
        RouterScenarios.changesConvergeAndAFullPassRepairsEveryRouter(lab, Lab.NAMES, host, driver);
    }

    @Test
    void probeFindsBridgesAndNamespacesUsableAndSweepsWhatInterruptedProbesLeft() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String leftover = "gcpprobe-" + gone.pid() + "-" + Lab.NAMES.marker();
        String running = "gcpprobe-" + ProcessHandle.current().pid() + "-" + Lab.NAMES.marker();
        sh("ip", "netns", "add", leftover);
        sh("ip", "netns", "add", running);
        HealthReport report;
        try {
            report = driver.probe();
            String namespaces = run("ip", "netns", "list");
            assertFalse(namespaces.contains(leftover), "the namespace of a probe whose process is gone");
            assertTrue(namespaces.contains(running), "a recent probe's namespace, its process alive");
            assertFalse(namespaces.matches("(?s).*gcpprobe-" + ProcessHandle.current().pid() + "-(?!"
                    + Lab.NAMES.marker() + ").*"), "the probe deleted its own namespace");
        } finally {
            Lab.exec(List.of("ip", "netns", "delete", leftover));
            Lab.exec(List.of("ip", "netns", "delete", running));
        }
        assertTrue(report.usable(), report.detail());
        assertTrue(report.detail().contains("bridges and namespaces work"), report.detail());
        assertTrue(report.detail().contains("Dnsmasq version"), report.detail());
    }

    // --- the platform's side, reduced to what the tests need

    private static VpcNetwork vpc(String id, String cidr, List<SubnetNetwork> subnets, List<Route> routes,
                                  String uplink, List<PublicIpMapping> publicIps) {
        return new VpcNetwork(id, cidr, subnets, routes, uplink, publicIps);
    }

    private static SubnetNetwork subnet(String id, String cidr, Port... ports) {
        String gateway = Ipv4.format(Ipv4.address(cidr) + 1);
        return new SubnetNetwork(id, cidr, gateway, List.of(ports));
    }

    private static Port port(String id, String address) {
        return new Port(id, Lab.NAMES.id(), null, address);
    }

    private static String links(String namespace) {
        return run("ip", "-n", namespace, "-o", "link")
                .replaceAll(" state \\S+", "")
                .replaceAll(",?(LOWER_UP|NO-CARRIER),?", ",");
    }

    private String snapshot(String router) {
        // Interface indexes reveal any recreation. Left out: what the kernel changes on its own after a
        // change (operational state, carrier; IPv6 link-local addresses during duplicate address detection).
        return links(host) + run("ip", "-n", host, "-4", "-o", "addr")
                + links(router) + run("ip", "-n", router, "-4", "-o", "addr")
                + run("ip", "-n", router, "rule") + run("ip", "-n", router, "-4", "route", "show", "table", "all")
                + run("ip", "netns", "exec", router, "sysctl", "net.ipv4.ip_forward");
    }
}
