package io.goncloud.driver.ovs;

import static io.goncloud.driver.ovs.OvsOverlayLab.floodPeers;
import static io.goncloud.driver.ovs.OvsOverlayLab.pingUnfragmented;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OVS driver's overlay with real packets: simulated hosts (namespaces on one underlay bridge, MTU 1500),
 * each with its own Open vSwitch (userspace datapath) and driver. Host A is the network host (it runs the
 * VPCs' routers); host B holds only segments and its ports. Needs root, iproute2, openvswitch-switch, ping, socat.
 */
class OvsOverlayTest {

    private static final String A = "10.252.0.1";
    private static final String B = "10.252.0.2";
    private static final String C = "10.252.0.3";
    private static final int SEGMENT_MTU = OvsOverlayLab.UNDERLAY_MTU - Overlay.OVERHEAD;

    private OvsOverlayLab lab;

    @BeforeAll
    static void requireNamespacesAndOvs() {
        OvsOverlayLab.NAMES.assumeNamespacesWork();
        assumeTrue(OvsDaemons.installed(), "needs Open vSwitch (apt-get install openvswitch-switch)");
        OvsOverlayLab.removeLeftovers();
    }

    @BeforeEach
    void newLab() {
        lab = new OvsOverlayLab();
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private OvsNetworkDriver driver(OvsDaemons ovs) {
        return new OvsNetworkDriver(ovs.host, "netdev", ovs.remote(), lab.dhcpStateDir(ovs.host));
    }

    @Test
    void segmentsSpanHostsStayIsolatedPerVniAndReachOtherSubnetsThroughTheNetworkHost() throws Exception {
        OvsDaemons ovsA = lab.host(A);
        OvsDaemons ovsB = lab.host(B);
        String hostA = ovsA.host;
        String hostB = ovsB.host;
        OvsNetworkDriver driverA = driver(ovsA);
        OvsNetworkDriver driverB = driver(ovsB);
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
                vpc(vpc2, true, subnet(s3, "10.77.1.0/24", 5003, B, c1))), new Overlay(A, OvsOverlayLab.UNDERLAY_MTU));
        HostNetwork onB = new HostNetwork(null, List.of(
                vpc(vpc1, false, subnet(s1, "10.77.1.0/24", 5001, A, b1), subnet(s2, "10.77.2.0/24", 5002, A, b2)),
                vpc(vpc2, false, subnet(s3, "10.77.1.0/24", 5003, A, c2))), new Overlay(B, OvsOverlayLab.UNDERLAY_MTU));
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
        long bytes = 32L << 20;
        assertEquals(bytes, lab.transfer(iB1, iA1, "10.77.1.10", 8081, bytes),
                "a bulk TCP transfer across hosts completes (userspace TSO through the kernel's VXLAN)");
        assertTrue(ping(iB2, "10.77.1.10"), "another subnet, through the router on host A");
        assertTrue(ping(iB2, "10.77.1.11"), "between two instances of host B, through the router on host A");
        assertTrue(ping(iC2, "10.77.1.20"), "the other VPC's segment spans hosts too");
        assertTrue(pingFails(iB1, "10.77.1.20"), "the other VPC's instance, same block: unreachable");
        assertTrue(pingFails(iC2, "10.77.1.10"), "nor the other way");
        assertTrue(pingFails(iC1, "10.77.1.11"), "nor from host A");

        assertTrue(pingUnfragmented(iB1, "10.77.1.10", SEGMENT_MTU - 28), "a full-size packet at the segment MTU");
        assertFalse(pingUnfragmented(iB1, "10.77.1.10", SEGMENT_MTU - 27), "the instance knows no larger MTU");
        assertTrue(pingUnfragmented(iB2, "10.77.1.10", SEGMENT_MTU - 28), "full size through the router");

        // Host B: the tunnel is a kernel VXLAN device on the subnet's OVS bridge; no router.
        String tunnel = Tunnel.device(s1);
        String vxlan = sh("ip", "-n", hostB, "-d", "-o", "link", "show", tunnel);
        assertTrue(vxlan.contains("vxlan id 5001 local " + B + " ") && vxlan.contains("dstport 4789"), vxlan);
        assertTrue(vxlan.contains(" mtu " + SEGMENT_MTU + " "), vxlan);
        assertEquals(HostNames.subnetBridge(s1), ovsB.vsctl("port-to-br", tunnel).strip());
        assertEquals(List.of(A), floodPeers(hostB, tunnel));
        assertTrue(sh("ip", "-n", hostB, "-o", "link", "show", OvsNames.portBridge(b1.portId()))
                .contains(" mtu " + SEGMENT_MTU + " "), "the port's segment MTU");
        assertFalse(run("ip", "-n", hostB, "-o", "link").contains(HostNames.routerBridgeLeg(s1)), "no router leg on B");
        assertTrue(run("ip", "-n", HostNames.routerNamespace(vpc1), "link", "show", "lo").contains("gcp-router@" + hostA),
                "the router is host A's");

        // Level-triggered: the same states again change nothing on either host.
        String before = snapshot(ovsA, s1, s2, s3) + snapshot(ovsB, s1, s2, s3);
        driverA.apply(onA);
        driverB.apply(onB);
        driverB.applyChanges(onB);
        assertEquals(before, snapshot(ovsA, s1, s2, s3) + snapshot(ovsB, s1, s2, s3));
        assertTrue(ping(iB2, "10.77.1.10"));
    }

    @Test
    void peersComeAndGoTunnelsAreRepairedAndLeaveWithTheirSpan() {
        OvsDaemons ovsA = lab.host(A);
        OvsDaemons ovsB = lab.host(B);
        OvsDaemons ovsC = lab.host(C);
        String hostA = ovsA.host;
        String hostB = ovsB.host;
        String vpc = lab.vpcId();
        String s1 = id();
        Port a1 = port("10.78.1.10");
        Port b1 = port("10.78.1.11");
        Port c1 = port("10.78.1.12");
        OvsNetworkDriver driverA = driver(ovsA);
        OvsNetworkDriver driverB = driver(ovsB);
        OvsNetworkDriver driverC = driver(ovsC);
        driverA.apply(network(A, vpc(vpc, true, subnet(s1, "10.78.1.0/24", 6001, List.of(B, C), a1))));
        driverB.apply(network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A, C), b1))));
        driverC.apply(network(C, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A, B), c1))));
        String iA1 = instance(hostA, a1, "10.78.1.1");
        String iB1 = instance(hostB, b1, "10.78.1.1");
        instance(ovsC.host, c1, "10.78.1.1");
        assertTrue(ping(iA1, "10.78.1.11") && ping(iA1, "10.78.1.12") && ping(iB1, "10.78.1.12"), "three hosts, one segment");
        String tunnel = Tunnel.device(s1);
        assertEquals(List.of(B, C), floodPeers(hostA, tunnel));

        // Host C leaves the segment: its peers forget it.
        driverC.apply(network(C));
        assertFalse(run("ip", "-n", ovsC.host, "link").contains(tunnel), "host C holds the segment no more");
        driverA.apply(network(A, vpc(vpc, true, subnet(s1, "10.78.1.0/24", 6001, List.of(B), a1))));
        driverB.apply(network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A), b1))));
        assertEquals(List.of(B), floodPeers(hostA, tunnel), "the stale peer's entry removed");
        assertFalse(run("bridge", "-n", hostA, "fdb", "show", "dev", tunnel).contains("dst " + C), "nothing to C");
        assertTrue(ping(iA1, "10.78.1.11"), "the remaining peers still reach each other");

        // Drift repaired: a lost flooding entry, then a deleted tunnel device (its OVS port goes stale).
        HostNetwork onB = network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6001, List.of(A), b1)));
        sh("bridge", "-n", hostB, "fdb", "del", "00:00:00:00:00:00", "dev", tunnel, "dst", A);
        driverB.applyChanges(onB);
        assertEquals(List.of(A), floodPeers(hostB, tunnel), "flooding entry restored");
        sh("ip", "-n", hostB, "link", "del", tunnel);
        driverB.apply(onB);
        assertTrue(ping(iB1, "10.78.1.10"), "tunnel device recreated and its OVS port added again");

        // The segment's VNI changes: the device is made again and re-added to OVS.
        driverA.apply(network(A, vpc(vpc, true, subnet(s1, "10.78.1.0/24", 6002, List.of(B), a1))));
        assertTrue(pingFails(iB1, "10.78.1.10"), "VNIs differ: no way through");
        driverB.apply(network(B, vpc(vpc, false, subnet(s1, "10.78.1.0/24", 6002, List.of(A), b1))));
        assertTrue(sh("ip", "-n", hostB, "-d", "link", "show", tunnel).contains("vxlan id 6002 "));
        assertTrue(ping(iB1, "10.78.1.10"), "same VNI again");

        // The segment stops spanning hosts: its tunnel and its OVS port go, the local segment stays.
        driverA.apply(network(A, vpc(vpc, true, new SubnetNetwork(s1, "10.78.1.0/24", "10.78.1.1", List.of(a1)))));
        assertFalse(run("ip", "-n", hostA, "link").contains(tunnel), "tunnel removed");
        assertFalse(ovsA.vsctl("list-ports", HostNames.subnetBridge(s1)).contains(tunnel), "its OVS port too");
        assertTrue(ping(iA1, "10.78.1.1"), "the local segment still works");
        assertTrue(pingFails(iA1, "10.78.1.11"), "nothing crosses to host B any more");
    }

    @Test
    void anOvsHostSharesASegmentWithAPlainKernelVxlanBridge() {
        OvsDaemons ovsA = lab.host(A);
        String hostB = lab.host(B).host; // its Open vSwitch stays unused: host B is built by hand
        String vpc = lab.vpcId();
        String s1 = id();
        Port a1 = port("10.79.1.10");
        driver(ovsA).apply(network(A, vpc(vpc, true, subnet(s1, "10.79.1.0/24", 7001, B, a1))));
        String iA1 = instance(ovsA.host, a1, "10.79.1.1");
        // What the Linux-bridge driver makes on its host: a bridge, the VXLAN device on it, one flooding entry.
        sh("ip", "-n", hostB, "link", "add", "br1", "mtu", String.valueOf(SEGMENT_MTU), "type", "bridge");
        sh("ip", "-n", hostB, "link", "add", "vx1", "mtu", String.valueOf(SEGMENT_MTU), "type", "vxlan", "id", "7001",
                "local", B, "dstport", "4789");
        sh("bridge", "-n", hostB, "fdb", "append", "00:00:00:00:00:00", "dev", "vx1", "dst", A);
        sh("ip", "-n", hostB, "link", "add", "pb1", "mtu", String.valueOf(SEGMENT_MTU), "type", "veth", "peer", "name",
                "eb1", "mtu", String.valueOf(SEGMENT_MTU));
        for (String device : List.of("vx1", "pb1")) {
            sh("ip", "-n", hostB, "link", "set", device, "master", "br1", "up");
        }
        sh("ip", "-n", hostB, "link", "set", "br1", "up");
        String iB1 = lab.instance(hostB, "eb1", "10.79.1.11/24", "10.79.1.1");
        assertTrue(ping(iB1, "10.79.1.10"), "the OVS host's instance, across the tunnel");
        assertTrue(ping(iB1, "10.79.1.1"), "the router on the OVS host");
        assertTrue(pingUnfragmented(iA1, "10.79.1.11", SEGMENT_MTU - 28), "full size, from the OVS side");
    }

    // --- the platform's side, reduced to what the tests need

    private static String id() {
        return OvsOverlayLab.NAMES.id();
    }

    private static Port port(String address) {
        return new Port(id(), id(), null, address);
    }

    private static HostNetwork network(String local, VpcNetwork... vpcs) {
        return new HostNetwork(null, List.of(vpcs), new Overlay(local, OvsOverlayLab.UNDERLAY_MTU));
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

    /** What a pass could change on a host: links (indexes reveal recreation), OVS ports, tunnels and flooding. */
    private static String snapshot(OvsDaemons ovs, String... subnets) {
        StringBuilder state = new StringBuilder(run("ip", "-n", ovs.host, "-o", "link")
                .replaceAll(" state \\S+", "").replaceAll(",?(LOWER_UP|NO-CARRIER),?", ","));
        state.append(ovs.vsctl("--columns=name,ofport", "list", "Interface"));
        for (String subnet : subnets) {
            java.util.regex.Matcher vxlan = java.util.regex.Pattern.compile("vxlan id \\d+ local \\S+ .*? dstport \\d+")
                    .matcher(run("ip", "-n", ovs.host, "-d", "-o", "link", "show", Tunnel.device(subnet)));
            state.append(vxlan.find() ? vxlan.group() : "no tunnel").append('\n');
            state.append(floodPeers(ovs.host, Tunnel.device(subnet)));
        }
        return state.toString();
    }
}
