package io.goncloud.driver.linuxbridge;

import static io.goncloud.driver.linuxbridge.OverlayLab.floodPeers;
import static io.goncloud.driver.linuxbridge.OverlayLab.pingUnfragmented;
import static io.goncloud.driver.network.common.testing.NetnsLab.ping;
import static io.goncloud.driver.network.common.testing.NetnsLab.pingFails;
import static io.goncloud.driver.network.common.testing.NetnsLab.run;
import static io.goncloud.driver.network.common.testing.NetnsLab.sh;
import static io.goncloud.driver.network.common.testing.NetnsLab.tcpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Overlay;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.driver.network.common.Tunnel;
import io.goncloud.driver.network.common.testing.NetnsLab;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overlay with real packets: simulated hosts (namespaces on one underlay bridge, MTU 1500), a driver per
 * host. Host A is the network host (it runs the VPCs' routers); host B holds only segments and its ports.
 * Needs root, iproute2, ping, socat; the DHCP test also dnsmasq and busybox.
 */
class LinuxBridgeOverlayTest {

    private static final String A = "10.250.0.1";
    private static final String B = "10.250.0.2";
    private static final String C = "10.250.0.3";
    private static final int SEGMENT_MTU = OverlayLab.UNDERLAY_MTU - Overlay.OVERHEAD;

    private OverlayLab lab;

    @BeforeAll
    static void requireNamespaces() {
        OverlayLab.NAMES.assumeNamespacesWork();
        OverlayLab.NAMES.removeLeftovers();
    }

    @BeforeEach
    void newLab() {
        lab = new OverlayLab();
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private LinuxBridgeNetworkDriver driver(String host) {
        return new LinuxBridgeNetworkDriver(host, lab.dhcpStateDir(host));
    }

    @Test
    void segmentsSpanHostsStayIsolatedPerVniAndReachOtherSubnetsThroughTheNetworkHost() {
        String hostA = lab.host(A);
        String hostB = lab.host(B);
        LinuxBridgeNetworkDriver driverA = driver(hostA);
        LinuxBridgeNetworkDriver driverB = driver(hostB);
        String vpc1 = lab.vpcId();
        String vpc2 = lab.vpcId(); // the same block, another tenant
        String s1 = id();
        String s2 = id();
        String s3 = id();
        Port a1 = port("10.77.1.10");
        Port b1 = port("10.77.1.11");
        Port b2 = port("10.77.2.10");
        Port c1 = port("10.77.1.20");
        Port c2 = port("10.77.1.21");
        HostNetwork onA = new HostNetwork(null, List.of(
                vpc(vpc1, true, subnet(s1, "10.77.1.0/24", 5001, B, a1), subnet(s2, "10.77.2.0/24", 5002, B)),
                vpc(vpc2, true, subnet(s3, "10.77.1.0/24", 5003, B, c1))), new Overlay(A, OverlayLab.UNDERLAY_MTU));
        HostNetwork onB = new HostNetwork(null, List.of(
                vpc(vpc1, false, subnet(s1, "10.77.1.0/24", 5001, A, b1), subnet(s2, "10.77.2.0/24", 5002, A, b2)),
                vpc(vpc2, false, subnet(s3, "10.77.1.0/24", 5003, A, c2))), new Overlay(B, OverlayLab.UNDERLAY_MTU));
        driverA.apply(onA);
        driverB.apply(onB);

        String iA1 = instance(hostA, a1, "10.77.1.1");
        String iB1 = instance(hostB, b1, "10.77.1.1");
        String iB2 = instance(hostB, b2, "10.77.2.1");
        String iC1 = instance(hostA, c1, "10.77.1.1");
        String iC2 = instance(hostB, c2, "10.77.1.1");

        assertTrue(ping(iB1, "10.77.1.10"), "same subnet, across hosts");
        lab.peerEchoServer(iA1, 8080);
        assertEquals("10.77.1.11", tcpAnswer(iB1, "10.77.1.10", 8080, 2), "TCP across hosts, no NAT on the way");
        assertTrue(ping(iB2, "10.77.1.10"), "another subnet, through the router on host A");
        assertTrue(ping(iB2, "10.77.1.11"), "between two instances of host B, through the router on host A");
        assertTrue(ping(iC2, "10.77.1.20"), "the other VPC's segment spans hosts too");
        assertTrue(pingFails(iB1, "10.77.1.20"), "the other VPC's instance, same block: unreachable");
        assertTrue(pingFails(iC2, "10.77.1.10"), "nor the other way");
        assertTrue(pingFails(iC1, "10.77.1.11"), "nor from host A");

        assertTrue(pingUnfragmented(iB1, "10.77.1.10", SEGMENT_MTU - 28), "a full-size packet at the segment MTU");
        assertFalse(pingUnfragmented(iB1, "10.77.1.10", SEGMENT_MTU - 27), "the instance knows no larger MTU");
        assertTrue(pingUnfragmented(iB2, "10.77.1.10", SEGMENT_MTU - 28), "full size through the router");

        // Host B: segments, tunnels and ports only.
        String tunnel = Tunnel.device(s1);
        String vxlan = sh("ip", "-n", hostB, "-d", "-o", "link", "show", tunnel);
        assertTrue(vxlan.contains("vxlan id 5001 local " + B + " ") && vxlan.contains("dstport 4789"), vxlan);
        assertTrue(vxlan.contains(" mtu " + SEGMENT_MTU + " ") && vxlan.contains("master " + HostNames.subnetBridge(s1)), vxlan);
        assertEquals(List.of(A), floodPeers(hostB, tunnel));
        assertTrue(sh("ip", "-n", hostB, "-o", "link", "show", HostNames.subnetBridge(s1)).contains(" mtu " + SEGMENT_MTU + " "));
        assertTrue(sh("ip", "-n", hostB, "-o", "link", "show", HostNames.portDevice(b1.portId())).contains(" mtu " + SEGMENT_MTU + " "));
        String linksB = run("ip", "-n", hostB, "-o", "link");
        assertFalse(linksB.contains(HostNames.routerBridgeLeg(s1)), "no router leg on host B: " + linksB);
        assertTrue(run("ip", "-n", HostNames.routerNamespace(vpc1), "link", "show", "lo").contains("gcp-router@" + hostA),
                "the router is host A's");
        assertTrue(run("ip", "-n", HostNames.routerNamespace(vpc1), "-o", "link", "show", HostNames.routerLeg(s1))
                .contains(" mtu " + SEGMENT_MTU + " "), "the router's leg has the segment MTU");

        // Level-triggered: the same states again change nothing on either host.
        String before = snapshot(hostA, s1, s2, s3) + snapshot(hostB, s1, s2, s3);
        driverA.apply(onA);
        driverB.apply(onB);
        driverB.applyChanges(onB);
        assertEquals(before, snapshot(hostA, s1, s2, s3) + snapshot(hostB, s1, s2, s3));
        assertTrue(ping(iB2, "10.77.1.10"));
    }

    @Test
    void peersComeAndGoTunnelsAreRepairedAndLeaveWithTheirSpan() {
        String hostA = lab.host(A);
        String hostB = lab.host(B);
        String hostC = lab.host(C);
        String vpc = lab.vpcId();
        String s1 = id();
        Port a1 = port("10.78.1.10");
        Port b1 = port("10.78.1.11");
        Port c1 = port("10.78.1.12");
        LinuxBridgeNetworkDriver driverA = driver(hostA);
        LinuxBridgeNetworkDriver driverB = driver(hostB);
        LinuxBridgeNetworkDriver driverC = driver(hostC);
        driverA.apply(network(A, vpc(vpc, true, subnet(s1, "10.78.1.0/24", 6001, List.of(B, C), a1))));
        driverB.apply(network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A, C), b1))));
        driverC.apply(network(C, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A, B), c1))));
        String iA1 = instance(hostA, a1, "10.78.1.1");
        String iB1 = instance(hostB, b1, "10.78.1.1");
        instance(hostC, c1, "10.78.1.1");
        assertTrue(ping(iA1, "10.78.1.11") && ping(iA1, "10.78.1.12") && ping(iB1, "10.78.1.12"), "three hosts, one segment");
        String tunnel = Tunnel.device(s1);
        assertEquals(List.of(B, C), floodPeers(hostA, tunnel));

        // Host C leaves the segment (its instance is gone): its peers forget it, learned entries included. A host
        // that still sends would be learned again until the next pass (VXLAN takes packets from any source).
        driverC.apply(network(C));
        assertFalse(run("ip", "-n", hostC, "link").contains(tunnel), "host C holds the segment no more");
        driverA.apply(network(A, vpc(vpc, true, subnet(s1, "10.78.1.0/24", 6001, List.of(B), a1))));
        driverB.apply(network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A), b1))));
        assertEquals(List.of(B), floodPeers(hostA, tunnel), "the stale peer's entry removed");
        assertFalse(run("bridge", "-n", hostA, "fdb", "show", "dev", tunnel).contains("dst " + C), "nothing to C");
        assertTrue(ping(iA1, "10.78.1.11"), "the remaining peers still reach each other");
        assertTrue(pingFails(iA1, "10.78.1.12"), "the host that left is not reached");

        // Drift repaired: a lost flooding entry, then a deleted tunnel device.
        HostNetwork onB = network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A), b1)));
        sh("bridge", "-n", hostB, "fdb", "del", "00:00:00:00:00:00", "dev", tunnel, "dst", A);
        driverB.applyChanges(onB);
        assertEquals(List.of(A), floodPeers(hostB, tunnel), "flooding entry restored");
        sh("ip", "-n", hostB, "link", "del", tunnel);
        driverB.apply(onB);
        assertTrue(ping(iB1, "10.78.1.10"), "tunnel device recreated and attached");

        // A tunnel made with another VNI is made again; the segment's VNI changes on both hosts.
        driverA.apply(network(A, vpc(vpc, true, subnet(s1, "10.78.1.0/24", 6002, List.of(B), a1))));
        assertTrue(pingFails(iB1, "10.78.1.10"), "VNIs differ: no way through");
        driverB.apply(network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6002, List.of(A), b1))));
        assertTrue(sh("ip", "-n", hostB, "-d", "link", "show", tunnel).contains("vxlan id 6002 "));
        assertTrue(ping(iB1, "10.78.1.10"), "same VNI again");

        // The segment stops spanning hosts: its tunnel goes, the local segment stays.
        driverA.apply(network(A, vpc(vpc, true, new SubnetNetwork(s1, "10.78.1.0/24", "10.78.1.1", List.of(a1)))));
        assertFalse(run("ip", "-n", hostA, "link").contains(tunnel), "tunnel removed");
        assertTrue(ping(iA1, "10.78.1.1"), "the local segment still works");
        assertTrue(pingFails(iA1, "10.78.1.11"), "nothing crosses to host B any more");
    }

    @Test
    void aRouterOnceHereLeavesWhenTheVpcsRouterIsElsewhere() {
        assumeTrue(NetnsLab.exec(List.of("dnsmasq", "--version")).ok(), "needs dnsmasq");
        String hostB = lab.host(B);
        LinuxBridgeNetworkDriver driverB = driver(hostB);
        String vpc = lab.vpcId();
        String s1 = id();
        Port b1 = port("10.79.1.11");
        driverB.apply(network(B, vpc(vpc, true, subnet(s1, "10.79.1.0/24", 7001, A, b1))));
        String router = HostNames.routerNamespace(vpc);
        assertTrue(run("ip", "netns", "list").contains(router), "router made while it was here");
        NetnsLab.await(() -> !run("ip", "netns", "pids", router).isBlank(), java.time.Duration.ofSeconds(10), "its DHCP server");

        driverB.apply(network(B, vpc(vpc, false, subnet(s1, "10.79.1.0/24", 7001, A, b1))));
        assertFalse(run("ip", "netns", "list").contains(router), "router removed");
        assertFalse(run("pgrep", "-af", "dnsmasq").contains(vpc), "no DHCP server of the VPC left");
        String links = run("ip", "-n", hostB, "-o", "link");
        assertFalse(links.contains(HostNames.routerBridgeLeg(s1)), "router leg gone: " + links);
        assertTrue(links.contains(HostNames.subnetBridge(s1)) && links.contains(HostNames.portDevice(b1.portId()))
                && links.contains(Tunnel.device(s1)), "segment, port and tunnel stay: " + links);
    }

    @Test
    void dhcpAnswersCarryTheSegmentMtuAlsoAcrossTheTunnel() {
        assumeTrue(NetnsLab.exec(List.of("dnsmasq", "--version")).ok() && NetnsLab.exec(List.of("busybox")).ok(),
                "needs dnsmasq and busybox");
        String hostA = lab.host(A);
        String hostB = lab.host(B);
        String vpc = lab.vpcId();
        String s1 = id();
        Port a1 = new Port(id(), id(), "02:00:0a:50:01:0a", "10.80.1.10");
        Port b1 = new Port(id(), id(), "02:00:0a:50:01:0b", "10.80.1.11");
        // The network host's DHCP server leases only the ports its own state lists: host B's port is listed there
        // too (its unused veth pair on host A is the price; see docs/networking.md).
        driver(hostA).apply(network(A, vpc(vpc, true, subnet(s1, "10.80.1.0/24", 8001, B, a1, b1))));
        driver(hostB).apply(network(B, vpc(vpc, false, subnet(s1, "10.80.1.0/24", 8001, A, b1))));
        String iA1 = lab.bareInstance(hostA, HostNames.instanceSide(a1.portId()));
        String iB1 = lab.bareInstance(hostB, HostNames.instanceSide(b1.portId()));
        NetnsLab.await(() -> lab.dhcpMtu(iA1, HostNames.instanceSide(a1.portId())) != null,
                java.time.Duration.ofSeconds(20), "a DHCP answer");
        assertEquals(String.valueOf(SEGMENT_MTU), lab.dhcpMtu(iA1, HostNames.instanceSide(a1.portId())),
                "option 26: the segment MTU");
        assertEquals(String.valueOf(SEGMENT_MTU), lab.dhcpMtu(iB1, HostNames.instanceSide(b1.portId())),
                "the answer crosses the tunnel to host B");
        assertTrue(lab.dhcp(iB1, HostNames.instanceSide(b1.portId())).startsWith("10.80.1.11/255.255.255.0 via 10.80.1.1"),
                "host B's instance gets its address from the network host");
        assertTrue(ping(iB1, "10.80.1.1"), "and reaches its gateway there");
    }

    // --- the platform's side, reduced to what the tests need

    private static String id() {
        return OverlayLab.NAMES.id();
    }

    private static Port port(String address) {
        return new Port(id(), id(), null, address);
    }

    private static HostNetwork network(String local, VpcNetwork... vpcs) {
        return new HostNetwork(null, List.of(vpcs), new Overlay(local, OverlayLab.UNDERLAY_MTU));
    }

    private static VpcNetwork vpc(String id, boolean routerHere, SubnetNetwork... subnets) {
        return new VpcNetwork(id, "10.0.0.0/8", List.of(subnets), List.of(), null, List.of(), routerHere);
    }

    private static SubnetNetwork subnet(String id, String cidr, int vni, String peer, Port... ports) {
        return subnet(id, cidr, vni, List.of(peer), ports);
    }

    private static SubnetNetwork subnet(String id, String cidr, int vni, List<String> peers, Port... ports) {
        String gateway = cidr.substring(0, cidr.lastIndexOf('.')) + ".1";
        return new SubnetNetwork(id, cidr, gateway, List.of(ports), vni, peers);
    }

    private String instance(String host, Port port, String gateway) {
        return lab.instance(host, HostNames.instanceSide(port.portId()), port.ipAddress() + "/24", gateway);
    }

    /** What a pass could change on a host: its links (indexes reveal recreation), tunnels' details and flooding. */
    private static String snapshot(String host, String... subnets) {
        StringBuilder state = new StringBuilder(run("ip", "-n", host, "-o", "link")
                .replaceAll(" state \\S+", "").replaceAll(",?(LOWER_UP|NO-CARRIER),?", ","));
        for (String subnet : subnets) {
            java.util.regex.Matcher vxlan = java.util.regex.Pattern.compile("vxlan id \\d+ local \\S+ .*? dstport \\d+")
                    .matcher(run("ip", "-n", host, "-d", "-o", "link", "show", Tunnel.device(subnet)));
            state.append(vxlan.find() ? vxlan.group() : "no tunnel").append('\n');
            state.append(floodPeers(host, Tunnel.device(subnet)));
        }
        return state.toString();
    }
}
