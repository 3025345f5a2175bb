package io.goncloud.driver.ovs;

import static io.goncloud.driver.ovs.Lab.ping;
import static io.goncloud.driver.ovs.Lab.pingFails;
import static io.goncloud.driver.ovs.Lab.run;
import static io.goncloud.driver.ovs.Lab.sh;
import static io.goncloud.driver.ovs.Lab.tcpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import io.goncloud.driver.network.common.testing.LabNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver against the real kernel and a real Open vSwitch: each test builds a fake worker host as a
 * network namespace running its own ovs-vswitchd, lets the driver build the networks in it, plugs
 * "instances" (namespaces holding the ports' instance sides) and an "internet" namespace in, and sends
 * real packets. Needs root, iproute2, nftables, openvswitch-switch, ping, socat.
 */
class OvsNetworkDriverTest {

    private static final Provider PROVIDER = new Provider("prov0", "203.0.113.0/24", "203.0.113.1");
    private static final String INTERNET = "203.0.113.1";

    private Lab lab;
    private OvsDaemons ovs;
    private String host;
    private OvsNetworkDriver driver;
    private String dhcpStateDir;

    @BeforeAll
    static void requireNamespacesAndOvs() {
        Lab.NAMES.assumeNamespacesWork();
        assumeTrue(OvsDaemons.installed(), "needs Open vSwitch (apt-get install openvswitch-switch)");
        Lab.removeLeftovers();
    }

    @BeforeEach
    void buildHost() {
        lab = new Lab();
        ovs = lab.host();
        host = ovs.host;
        dhcpStateDir = lab.dhcpStateDir();
        driver = new OvsNetworkDriver(host, "netdev", ovs.remote(), dhcpStateDir);
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
        String bridge = HostNames.subnetBridge(s1);
        assertEquals("netdev", ovs.vsctl("get", "bridge", bridge, "datapath_type").strip());
        assertEquals(Set.of(HostNames.routerBridgeLeg(s1), OvsNames.portTap(p1), OvsNames.portTap(p2)),
                Set.copyOf(ovs.vsctl("list-ports", bridge).lines().toList()), "the router leg and two taps on it");
        String portLinks = run("ip", "-n", host, "-d", "-o", "link", "show", "master", OvsNames.portBridge(p1));
        assertTrue(portLinks.contains(HostNames.portDevice(p1)) && portLinks.contains(OvsNames.portTap(p1)),
                "hybrid plug: port device and tap on the port's Linux bridge: " + portLinks);
        assertTrue(run("ip", "-n", host, "-d", "link", "show", OvsNames.portBridge(p1)).contains("nf_call_iptables 1"));

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
        assertTrue(run("ip", "-n", host, "-d", "link", "show", "prov0").contains("bridge"),
                "a missing provider bridge is created as a Linux bridge");
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
    void anUplinkPlugsIntoAProviderBridgeThatIsAnOvsBridge() {
        ovs.vsctl("add-br", "prov1", "--", "set", "bridge", "prov1", "datapath_type=netdev");
        Provider provider = new Provider("prov1", "203.0.113.0/24", "203.0.113.1");
        String vpc = lab.vpcId();
        String subnet = Lab.NAMES.id();
        String p1 = Lab.NAMES.id();
        HostNetwork attached = new HostNetwork(provider, List.of(vpc(vpc, "10.6.0.0/16",
                List.of(subnet(subnet, "10.6.1.0/24", port(p1, "10.6.1.10"))),
                List.of(new Route(subnet, "0.0.0.0/0", "igw", "igw-1", null)), "203.0.113.10",
                List.of(new PublicIpMapping("203.0.113.60", "10.6.1.10")))));
        driver.apply(attached);
        assertTrue(ovs.vsctl("list-ports", "prov1").contains(HostNames.uplinkPeer(vpc)), "uplink peer on OVS");
        String outside = lab.internetOnOvs(ovs, "prov1", INTERNET + "/24");
        lab.peerEchoServer(outside, 80);
        String i1 = lab.instance(host, HostNames.instanceSide(p1), "10.6.1.10/24", "10.6.1.1");
        assertEquals("203.0.113.60", tcpAnswer(i1, INTERNET, 80, 2), "out through the OVS provider bridge");

        driver.apply(new HostNetwork(provider, List.of(vpc(vpc, "10.6.0.0/16",
                List.of(subnet(subnet, "10.6.1.0/24", port(p1, "10.6.1.10"))), List.of(), null, List.of()))));
        assertFalse(ovs.vsctl("list-ports", "prov1").contains(HostNames.uplinkPeer(vpc)), "uplink peer port removed");
        assertTrue(ovs.vsctl("list-br").contains("prov1"), "the operator's bridge stays");
        assertTrue(ovs.vsctl("list-ports", "prov1").contains("inet"), "and so do its other ports");
    }

    @Test
    void deletedBridgesPortsAndAddressesAreRepairedByTheNextApply() {
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

        ovs.vsctl("del-br", HostNames.subnetBridge(subnet));
        sh("ip", "-n", HostNames.routerNamespace(vpc), "addr", "flush", "dev", HostNames.routerLeg(subnet));
        assertTrue(pingFails(i1, "10.3.1.11"), "bridge gone");
        driver.apply(network);
        assertTrue(ping(i1, "10.3.1.11"), "bridge recreated, ports added again");
        assertTrue(ping(i1, "10.3.1.1"), "gateway address restored");

        // The router leg's veth recreated behind the driver's back: OVS still reads the device it opened, and
        // the instances still know the gateway by its old MAC address, which the driver restores.
        sh("ip", "-n", host, "link", "del", HostNames.routerBridgeLeg(subnet));
        sh("ip", "-n", host, "link", "add", HostNames.routerBridgeLeg(subnet), "type", "veth", "peer", "name",
                HostNames.routerLeg(subnet), "netns", HostNames.routerNamespace(vpc));
        sh("ip", "-n", host, "link", "del", OvsNames.portBridge(p2));
        assertTrue(pingFails(i1, "10.3.1.1"), "router leg recreated, not yet in OVS");
        driver.apply(network);
        assertTrue(ping(i1, "10.3.1.1"), "router leg's port added again");
        assertTrue(ping(i1, "10.3.1.11"), "port bridge recreated, tap and port device on it again");

        // ovs-vswitchd restarted: it opens the same ports again, and the driver finds nothing to change.
        ovs.stopSwitch();
        ovs.startSwitch();
        String router = HostNames.routerNamespace(vpc);
        String before = snapshot(router);
        driver.apply(network);
        assertEquals(before, snapshot(router));
        assertTrue(ping(i1, "10.3.1.11"));
        assertTrue(ping(i1, "10.3.1.1"));
    }

    @Test
    void orphansAreRemovedAndWhatTheDriverDoesNotNameIsKept() {
        String vpc = lab.vpcId();
        String kept = Lab.NAMES.id();
        String removed = Lab.NAMES.id();
        String removedPort = Lab.NAMES.id();
        driver.apply(new HostNetwork(null, List.of(vpc(vpc, "10.4.0.0/16",
                List.of(subnet(kept, "10.4.1.0/24"), subnet(removed, "10.4.2.0/24", port(removedPort, "10.4.2.10"))),
                List.of(), null, List.of()))));

        String staleRouter = HostNames.routerNamespace(lab.vpcId());
        sh("ip", "netns", "add", staleRouter);
        String othersRouter = HostNames.routerNamespace(lab.vpcId());
        sh("ip", "netns", "add", othersRouter);
        sh("ip", "-n", othersRouter, "link", "set", "lo", "alias", "gcp-router@another-host");
        String staleBridge = HostNames.subnetBridge(Lab.NAMES.id());
        ovs.vsctl("add-br", staleBridge, "--", "set", "bridge", staleBridge, "datapath_type=netdev");
        String stalePort = Lab.NAMES.id();
        sh("ip", "-n", host, "link", "add", HostNames.portDevice(stalePort), "type", "veth", "peer", "name",
                HostNames.instanceSide(stalePort));
        String staleLeg = HostNames.routerBridgeLeg(Lab.NAMES.id());
        sh("ip", "-n", host, "link", "add", staleLeg, "type", "veth", "peer", "name", "gcpkeep1");
        ovs.vsctl("add-port", HostNames.subnetBridge(kept), staleLeg);
        ovs.vsctl("add-br", "keepbr", "--", "set", "bridge", "keepbr", "datapath_type=netdev");
        sh("ip", "-n", host, "link", "add", "keep0", "type", "veth", "peer", "name", "keep1");
        ovs.vsctl("add-port", "keepbr", "keep0");
        sh("ip", "-n", host, "link", "add", "gcpkeep0", "type", "bridge");

        driver.apply(new HostNetwork(null, List.of(vpc(vpc, "10.4.0.0/16", List.of(subnet(kept, "10.4.1.0/24")),
                List.of(), null, List.of()))));

        String links = run("ip", "-n", host, "-o", "link");
        String bridges = ovs.vsctl("list-br");
        assertFalse(run("ip", "netns", "list").contains(staleRouter), "stale router namespace");
        assertTrue(run("ip", "netns", "list").contains(othersRouter), "another host's router is not ours to delete");
        assertFalse(bridges.contains(staleBridge), "stale OVS bridge");
        assertFalse(links.contains(staleBridge), "and its internal port");
        assertFalse(links.contains(HostNames.portDevice(stalePort)), "stale port");
        assertFalse(links.contains(staleLeg), "stale router leg");
        assertFalse(ovs.vsctl("list-ports", HostNames.subnetBridge(kept)).contains(staleLeg), "and its OVS port");
        assertFalse(bridges.contains(HostNames.subnetBridge(removed)), "bridge of a removed subnet");
        assertFalse(links.contains(HostNames.routerBridgeLeg(removed)), "router leg of a removed subnet");
        assertFalse(links.contains(OvsNames.portBridge(removedPort)), "port bridge of a removed port");
        assertFalse(links.contains(OvsNames.portTap(removedPort)), "tap of a removed port");
        String router = HostNames.routerNamespace(vpc);
        assertFalse(run("ip", "-n", router, "rule").contains(HostNames.routerLeg(removed)), "rule of a removed subnet");
        assertTrue(bridges.contains(HostNames.subnetBridge(kept)), "desired bridge");
        assertTrue(bridges.contains("keepbr") && ovs.vsctl("list-ports", "keepbr").contains("keep0"), "foreign bridge");
        assertTrue(links.contains(" keep0@"), "foreign interface");
        assertTrue(links.contains(" gcpkeep0:"), "gcp-named, but no name the driver gives");
        sh("ip", "netns", "delete", othersRouter);
    }

    @Test
    void aFewMegabytesOfTcpCrossTheSwitchAndTheRouterWithoutStalling() throws Exception {
        String vpc = lab.vpcId();
        String s1 = Lab.NAMES.id();
        String s2 = Lab.NAMES.id();
        String p1 = Lab.NAMES.id();
        String p2 = Lab.NAMES.id();
        String p3 = Lab.NAMES.id();
        driver.apply(new HostNetwork(null, List.of(vpc(vpc, "10.7.0.0/16",
                List.of(subnet(s1, "10.7.1.0/24", port(p1, "10.7.1.10"), port(p2, "10.7.1.11")),
                        subnet(s2, "10.7.2.0/24", port(p3, "10.7.2.10"))), List.of(), null, List.of()))));
        String a = lab.instance(host, HostNames.instanceSide(p1), "10.7.1.10/24", "10.7.1.1");
        String b = lab.instance(host, HostNames.instanceSide(p2), "10.7.1.11/24", "10.7.1.1");
        String c = lab.instance(host, HostNames.instanceSide(p3), "10.7.2.10/24", "10.7.2.1");
        Path blob = Files.createTempFile(Lab.NAMES.prefix() + LabNames.PID + "-", ".bin");
        try {
            byte[] bytes = new byte[8 << 20];
            new Random(42).nextBytes(bytes);
            Files.write(blob, bytes);
            Duration sameSubnet = lab.transfer(a, b, "10.7.1.11", 5001, blob, Duration.ofSeconds(15));
            Duration acrossRouter = lab.transfer(c, a, "10.7.1.10", 5002, blob, Duration.ofSeconds(15));
            System.out.printf("8 MiB over TCP: %d ms in one subnet, %d ms through the router%n",
                    sameSubnet.toMillis(), acrossRouter.toMillis());
        } finally {
            Files.deleteIfExists(blob);
        }
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
    void probeFindsOvsUsableAndSaysPreciselyWhatIsMissing() {
        HealthReport report = driver.probe();
        assertTrue(report.usable(), report.detail());
        assertTrue(report.detail().contains("userspace TSO on"), report.detail());

        String nowhere = "unix:" + ovs.dir.resolve("nowhere.sock");
        HealthReport unreachable = new OvsNetworkDriver(host, "netdev", nowhere, dhcpStateDir).probe();
        assertFalse(unreachable.usable());
        assertTrue(unreachable.detail().contains("cannot reach ovsdb at " + nowhere), unreachable.detail());
        assertTrue(unreachable.detail().contains("No such file or directory"), unreachable.detail());

        ovs.vsctl("set", "Open_vSwitch", ".", "other_config:userspace-tso-enable=false");
        HealthReport noTso = driver.probe();
        assertFalse(noTso.usable());
        assertTrue(noTso.detail().contains("userspace-tso-enable is not true"), noTso.detail());

        ovs.stopSwitch();
        HealthReport noSwitch = driver.probe();
        assertFalse(noSwitch.usable());
        assertTrue(noSwitch.detail().contains("ovs-vswitchd does not apply changes"), noSwitch.detail());
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
        // Interface indexes and OVS row ids reveal any recreation. Left out: what the kernel changes on its
        // own after a change (operational state, carrier; IPv6 link-local addresses during duplicate
        // address detection).
        return links(host) + run("ip", "-n", host, "-4", "-o", "addr")
                + links(router) + run("ip", "-n", router, "-4", "-o", "addr")
                + run("ip", "-n", router, "rule") + run("ip", "-n", router, "-4", "route", "show", "table", "all")
                + run("ip", "netns", "exec", router, "sysctl", "net.ipv4.ip_forward")
                + sorted(ovs.vsctl("--columns=_uuid,name,datapath_type", "list", "Bridge"))
                + sorted(ovs.vsctl("--columns=_uuid,name,type,external_ids", "list", "Interface"));
    }

    private static String sorted(String text) {
        return text.lines().sorted().collect(Collectors.joining("\n", "", "\n"));
    }

}
