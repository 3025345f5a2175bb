package io.goncloud.driver.network.common.testing;

import static io.goncloud.driver.network.common.testing.NetnsLab.ping;
import static io.goncloud.driver.network.common.testing.NetnsLab.pingFails;
import static io.goncloud.driver.network.common.testing.NetnsLab.run;
import static io.goncloud.driver.network.common.testing.NetnsLab.sh;
import static io.goncloud.driver.network.common.testing.NetnsLab.tcpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.Provider;
import io.goncloud.api.spi.network.HostNetwork.PublicIpMapping;
import io.goncloud.api.spi.network.HostNetwork.Route;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.api.spi.network.NetworkDriver;
import io.goncloud.driver.network.common.Desired;
import io.goncloud.driver.network.common.Ipv4;
import io.goncloud.driver.network.common.NatTable;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scenarios every network driver must pass on one host, against the real kernel: each test builds a fake
 * worker host as a network namespace, lets the driver build the networks in it, plugs "instances" (namespaces
 * holding the ports' instance sides) and an "internet" namespace in, and sends real packets. A driver's suite
 * extends it with its names and a {@link NetworkDriverFactory}, and adds what only its driver does. Needs root,
 * iproute2, nftables, ping, socat; the DHCP scenario dnsmasq and busybox.
 *
 * @param <H> the driver's host
 */
public abstract class NetworkDriverScenarios<H extends DriverHost> extends NetworkDriverSuite<H, NetnsLab> {

    protected static final Provider PROVIDER = new Provider("prov0", "203.0.113.0/24", "203.0.113.1");
    protected static final String INTERNET = "203.0.113.1";

    protected H host;
    /** The host's namespace. */
    protected String hostNs;
    protected NetworkDriver driver;

    protected NetworkDriverScenarios(LabNames names, NetworkDriverFactory<H> factory) {
        super(names, factory);
    }

    @Override
    protected NetnsLab newLab() {
        return new NetnsLab(names);
    }

    @BeforeEach
    void buildHost() {
        host = factory.manage(lab, lab.namespace("host"), lab.dhcpStateDir());
        hostNs = host.namespace();
        driver = host.driver();
    }

    @Test
    void subnetsReachEachOtherThroughTheRouterAndAnotherApplyChangesNothing() {
        String vpc = lab.vpcId();
        String s1 = names.id();
        String s2 = names.id();
        String p1 = names.id();
        String p2 = names.id();
        String p3 = names.id();
        HostNetwork network = new HostNetwork(null, List.of(vpc(vpc, "10.1.0.0/16",
                List.of(subnet(s1, "10.1.1.0/24", new Port(p1, names.id(), "02:00:0a:01:01:0a", "10.1.1.10"),
                                port(p2, "10.1.1.11")),
                        subnet(s2, "10.1.2.0/24", port(p3, "10.1.2.10"))),
                List.of(new Route(s1, "10.1.0.0/16", "local", "local", null),
                        new Route(s1, "192.0.2.0/24", "instance", p3, "10.1.2.10")), null, List.of())));

        AppliedNetwork applied = driver.apply(network);

        assertEquals(HostNames.instanceSide(p1), applied.portDevices().get(p1));
        String i1 = lab.instance(hostNs, HostNames.instanceSide(p1), "10.1.1.10/24", "10.1.1.1");
        lab.instance(hostNs, HostNames.instanceSide(p2), "10.1.1.11/24", "10.1.1.1");
        String i3 = lab.instance(hostNs, HostNames.instanceSide(p3), "10.1.2.10/24", "10.1.2.1");
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
        Port a1 = port(names.id(), "10.0.1.10");
        Port b1 = port(names.id(), "10.0.1.10");
        Port b2 = port(names.id(), "10.0.1.20");
        driver.apply(new HostNetwork(null, List.of(
                vpc(lab.vpcId(), "10.0.0.0/16", List.of(subnet(names.id(), "10.0.1.0/24", a1)), List.of(), null, List.of()),
                vpc(lab.vpcId(), "10.0.0.0/16", List.of(subnet(names.id(), "10.0.1.0/24", b1, b2)), List.of(), null,
                        List.of()))));

        String instanceA1 = lab.instance(hostNs, HostNames.instanceSide(a1.portId()), "10.0.1.10/24", "10.0.1.1");
        String instanceB1 = lab.instance(hostNs, HostNames.instanceSide(b1.portId()), "10.0.1.10/24", "10.0.1.1");
        lab.instance(hostNs, HostNames.instanceSide(b2.portId()), "10.0.1.20/24", "10.0.1.1");

        assertTrue(ping(instanceA1, "10.0.1.1"), "A reaches its own router");
        assertTrue(ping(instanceB1, "10.0.1.1"), "B reaches its own router, at the same address");
        assertTrue(ping(instanceB1, "10.0.1.20"), "B's instances reach each other");
        assertTrue(pingFails(instanceA1, "10.0.1.20"), "A must not reach B's instance at the same addresses");
    }

    @Test
    void publicAddressAndOutboundNatWorkOnlyWithUplinkAndInternetRouteAndStopOnDetach() {
        String vpc = lab.vpcId();
        String subnet = names.id();
        Port withPublic = port(names.id(), "10.2.1.10");
        Port privateOnly = port(names.id(), "10.2.1.11");
        List<SubnetNetwork> subnets = List.of(subnet(subnet, "10.2.1.0/24", withPublic, privateOnly));
        List<PublicIpMapping> publicIps = List.of(new PublicIpMapping("203.0.113.50", "10.2.1.10"));
        Route local = new Route(subnet, "10.2.0.0/16", "local", "local", null);
        Route internet = new Route(subnet, "0.0.0.0/0", "igw", "igw-1", null);

        // Uplink and public address, but no route to the internet gateway yet.
        driver.apply(new HostNetwork(PROVIDER, List.of(vpc(vpc, "10.2.0.0/16", subnets, List.of(local),
                "203.0.113.10", publicIps))));
        assertTrue(run("ip", "-n", hostNs, "-d", "link", "show", "prov0").contains("bridge"),
                "a missing provider bridge is created as a Linux bridge");
        String outside = lab.internet(hostNs, "prov0", INTERNET + "/24");
        lab.peerEchoServer(outside, 80);
        String a = lab.instance(hostNs, HostNames.instanceSide(withPublic.portId()), "10.2.1.10/24", "10.2.1.1");
        String b = lab.instance(hostNs, HostNames.instanceSide(privateOnly.portId()), "10.2.1.11/24", "10.2.1.1");
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
        assertFalse(run("ip", "-n", hostNs, "link").contains(HostNames.uplinkPeer(vpc)), "uplink peer removed");
        assertFalse(run("ip", "netns", "exec", router, "nft", "list", "tables").contains(NatTable.NAME), "NAT removed");
    }

    @Test
    void aDeletedBridgeAndAMissingGatewayAddressAreRepairedByTheNextApply() {
        TwoInstances two = twoInstancesOnOneSubnet("10.3");
        assertTrue(ping(two.instance1(), "10.3.1.11"));

        host.deleteBridge(HostNames.subnetBridge(two.subnet()));
        sh("ip", "-n", HostNames.routerNamespace(two.vpc()), "addr", "flush", "dev", HostNames.routerLeg(two.subnet()));
        assertTrue(pingFails(two.instance1(), "10.3.1.11"), "bridge gone");

        driver.apply(two.network());
        assertTrue(ping(two.instance1(), "10.3.1.11"), "bridge recreated, ports attached again");
        assertTrue(ping(two.instance1(), "10.3.1.1"), "gateway address restored");
    }

    @Test
    void orphansAreRemovedAndWhatTheDriverDoesNotNameIsKept() {
        String vpc = lab.vpcId();
        String kept = names.id();
        String removed = names.id();
        Port removedPort = port(names.id(), "10.4.2.10");
        driver.apply(new HostNetwork(null, List.of(vpc(vpc, "10.4.0.0/16",
                List.of(subnet(kept, "10.4.1.0/24"), subnet(removed, "10.4.2.0/24", removedPort)),
                List.of(), null, List.of()))));

        String staleRouter = HostNames.routerNamespace(lab.vpcId());
        sh("ip", "netns", "add", staleRouter);
        String othersRouter = HostNames.routerNamespace(lab.vpcId());
        sh("ip", "netns", "add", othersRouter);
        sh("ip", "-n", othersRouter, "link", "set", "lo", "alias", "gcp-router@another-host");
        String staleBridge = HostNames.subnetBridge(names.id());
        host.addBridge(staleBridge);
        String stalePort = names.id();
        sh("ip", "-n", hostNs, "link", "add", HostNames.portDevice(stalePort), "type", "veth", "peer", "name",
                HostNames.instanceSide(stalePort));
        String staleLeg = HostNames.routerBridgeLeg(names.id());
        sh("ip", "-n", hostNs, "link", "add", staleLeg, "type", "veth", "peer", "name", "gcpkeep1");
        host.plug(HostNames.subnetBridge(kept), staleLeg);
        host.addBridge("keepbr");
        sh("ip", "-n", hostNs, "link", "add", "keep0", "type", "veth", "peer", "name", "keep1");
        host.plug("keepbr", "keep0");
        sh("ip", "-n", hostNs, "link", "add", "gcpkeep0", "type", "bridge");

        driver.apply(new HostNetwork(null, List.of(vpc(vpc, "10.4.0.0/16", List.of(subnet(kept, "10.4.1.0/24")),
                List.of(), null, List.of()))));

        String links = run("ip", "-n", hostNs, "-o", "link");
        assertFalse(run("ip", "netns", "list").contains(staleRouter), "stale router namespace");
        assertTrue(run("ip", "netns", "list").contains(othersRouter), "another host's router is not ours to delete");
        assertFalse(host.bridges().contains(staleBridge), "stale bridge");
        assertFalse(links.contains(staleBridge), "and its device");
        assertFalse(links.contains(HostNames.portDevice(stalePort)), "stale port");
        assertFalse(links.contains(staleLeg), "stale router leg");
        assertNull(host.bridgeOf(staleLeg), "and its place on the bridge");
        assertFalse(host.bridges().contains(HostNames.subnetBridge(removed)), "bridge of a removed subnet");
        assertFalse(links.contains(HostNames.routerBridgeLeg(removed)), "router leg of a removed subnet");
        host.portDevices(removedPort.portId()).forEach(device ->
                assertFalse(links.contains(device), device + " of a removed port"));
        String router = HostNames.routerNamespace(vpc);
        assertFalse(run("ip", "-n", router, "rule").contains(HostNames.routerLeg(removed)), "rule of a removed subnet");
        assertTrue(host.bridges().contains(HostNames.subnetBridge(kept)), "desired bridge");
        assertTrue(host.bridges().contains("keepbr") && "keepbr".equals(host.bridgeOf("keep0")), "foreign bridge");
        assertTrue(links.contains(" keep0@"), "foreign interface");
        assertTrue(links.contains(" gcpkeep0:"), "gcp-named, but no name the driver gives");
        sh("ip", "netns", "delete", othersRouter);
    }

    @Test
    void instancesGetTheirPortsAddressesFromTheSubnetsDhcpServer() throws Exception {
        DhcpScenario.run(lab, names, hostNs, driver::apply, host.dhcpStateDir());
    }

    @Test
    void routersKnowEveryPortsMacAndFollowAReusedAddress() {
        RouterScenarios.routersKnowEveryPortsMacAndFollowAReusedAddress(lab, names, hostNs, driver);
    }

    @Test
    void changesConvergeAndAFullPassRepairsEveryRouter() {
        RouterScenarios.changesConvergeAndAFullPassRepairsEveryRouter(lab, names, hostNs, driver);
    }

    // --- the platform's side, reduced to what the tests need

    /** One VPC ({@code <prefix>.0.0/16}) with one subnet ({@code .1.0/24}) of two ports, applied, an instance on each. */
    protected record TwoInstances(HostNetwork network, String vpc, String subnet, String port1, String port2,
                                  String instance1) {
    }

    protected TwoInstances twoInstancesOnOneSubnet(String prefix) {
        String vpc = lab.vpcId();
        String subnet = names.id();
        String p1 = names.id();
        String p2 = names.id();
        HostNetwork network = new HostNetwork(null, List.of(vpc(vpc, prefix + ".0.0/16",
                List.of(subnet(subnet, prefix + ".1.0/24", port(p1, prefix + ".1.10"), port(p2, prefix + ".1.11"))),
                List.of(), null, List.of())));
        driver.apply(network);
        String i1 = lab.instance(hostNs, HostNames.instanceSide(p1), prefix + ".1.10/24", prefix + ".1.1");
        lab.instance(hostNs, HostNames.instanceSide(p2), prefix + ".1.11/24", prefix + ".1.1");
        return new TwoInstances(network, vpc, subnet, p1, p2, i1);
    }

    protected static VpcNetwork vpc(String id, String cidr, List<SubnetNetwork> subnets, List<Route> routes,
                                    String uplink, List<PublicIpMapping> publicIps) {
        return new VpcNetwork(id, cidr, subnets, routes, uplink, publicIps);
    }

    protected static SubnetNetwork subnet(String id, String cidr, Port... ports) {
        String gateway = Ipv4.format(Ipv4.address(cidr) + 1);
        return new SubnetNetwork(id, cidr, gateway, List.of(ports));
    }

    protected Port port(String id, String address) {
        return new Port(id, names.id(), null, address);
    }

    private static String links(String namespace) {
        return run("ip", "-n", namespace, "-o", "link")
                .replaceAll(" state \\S+", "")
                .replaceAll(",?(LOWER_UP|NO-CARRIER),?", ",");
    }

    /**
     * What a pass could change on the host and in a router. Interface indexes (and the switch's row ids) reveal
     * any recreation. Left out: what the kernel changes on its own after a change (operational state, carrier;
     * IPv6 link-local addresses during duplicate address detection).
     */
    protected String snapshot(String router) {
        return links(hostNs) + run("ip", "-n", hostNs, "-4", "-o", "addr")
                + links(router) + run("ip", "-n", router, "-4", "-o", "addr")
                + run("ip", "-n", router, "rule") + run("ip", "-n", router, "-4", "route", "show", "table", "all")
                + run("ip", "netns", "exec", router, "sysctl", "net.ipv4.ip_forward")
                + host.switchState();
    }
}
