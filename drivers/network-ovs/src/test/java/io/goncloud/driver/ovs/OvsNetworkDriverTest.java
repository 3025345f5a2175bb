package io.goncloud.driver.ovs;

import static io.goncloud.driver.network.common.testing.NetnsLab.ping;
import static io.goncloud.driver.network.common.testing.NetnsLab.pingFails;
import static io.goncloud.driver.network.common.testing.NetnsLab.run;
import static io.goncloud.driver.network.common.testing.NetnsLab.sh;
import static io.goncloud.driver.network.common.testing.NetnsLab.tcpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.Provider;
import io.goncloud.api.spi.network.HostNetwork.PublicIpMapping;
import io.goncloud.api.spi.network.HostNetwork.Route;
import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetworkDriverScenarios;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The driver against the real kernel and a real Open vSwitch (each fake host runs its own ovs-vswitchd): the
 * scenarios every network driver must pass ({@link NetworkDriverScenarios}), and what only this driver does:
 * hybrid-plugged ports on userspace-datapath bridges, an OVS provider bridge, repairs behind OVS's back, TCP
 * without stalls, the probe. Names ({@code gcpto<pid>-...}, ids with {@code -0f5e-}) differ from the other
 * suites', so that each cleans up only its own. Needs root, iproute2, nftables, openvswitch-switch, ping, socat.
 */
class OvsNetworkDriverTest extends NetworkDriverScenarios<OvsDriverHost> {

    OvsNetworkDriverTest() {
        super(Lab.NAMES, new OvsFactory());
    }

    @Test
    void portsAreHybridPluggedIntoAUserspaceDatapathBridge() {
        TwoInstances two = twoInstancesOnOneSubnet("10.1");
        String bridge = HostNames.subnetBridge(two.subnet());
        assertEquals("netdev", host.ovs.vsctl("get", "bridge", bridge, "datapath_type").strip());
        assertEquals(Set.of(HostNames.routerBridgeLeg(two.subnet()), OvsNames.portTap(two.port1()),
                        OvsNames.portTap(two.port2())),
                Set.copyOf(host.ovs.vsctl("list-ports", bridge).lines().toList()), "the router leg and two taps on it");
        String portLinks = run("ip", "-n", hostNs, "-d", "-o", "link", "show", "master", OvsNames.portBridge(two.port1()));
        assertTrue(portLinks.contains(HostNames.portDevice(two.port1())) && portLinks.contains(OvsNames.portTap(two.port1())),
                "hybrid plug: port device and tap on the port's Linux bridge: " + portLinks);
        assertTrue(run("ip", "-n", hostNs, "-d", "link", "show", OvsNames.portBridge(two.port1()))
                .contains("nf_call_iptables 1"));
        assertTrue(ping(two.instance1(), "10.1.1.11"), "through the tap, OVS and the other port's bridge");
    }

    @Test
    void anUplinkPlugsIntoAProviderBridgeThatIsAnOvsBridge() {
        host.addBridge("prov1");
        Provider provider = new Provider("prov1", "203.0.113.0/24", "203.0.113.1");
        String vpc = lab.vpcId();
        String subnet = names.id();
        String p1 = names.id();
        HostNetwork attached = new HostNetwork(provider, List.of(vpc(vpc, "10.6.0.0/16",
                List.of(subnet(subnet, "10.6.1.0/24", port(p1, "10.6.1.10"))),
                List.of(new Route(subnet, "0.0.0.0/0", "igw", "igw-1", null)), "203.0.113.10",
                List.of(new PublicIpMapping("203.0.113.60", "10.6.1.10")))));
        driver.apply(attached);
        assertTrue(host.ovs.vsctl("list-ports", "prov1").contains(HostNames.uplinkPeer(vpc)), "uplink peer on OVS");
        String outside = host.internet(lab, "prov1", INTERNET + "/24");
        lab.peerEchoServer(outside, 80);
        String i1 = lab.instance(hostNs, HostNames.instanceSide(p1), "10.6.1.10/24", "10.6.1.1");
        assertEquals("203.0.113.60", tcpAnswer(i1, INTERNET, 80, 2), "out through the OVS provider bridge");

        driver.apply(new HostNetwork(provider, List.of(vpc(vpc, "10.6.0.0/16",
                List.of(subnet(subnet, "10.6.1.0/24", port(p1, "10.6.1.10"))), List.of(), null, List.of()))));
        assertFalse(host.ovs.vsctl("list-ports", "prov1").contains(HostNames.uplinkPeer(vpc)), "uplink peer port removed");
        assertTrue(host.bridges().contains("prov1"), "the operator's bridge stays");
        assertTrue(host.ovs.vsctl("list-ports", "prov1").contains("inet"), "and so do its other ports");
    }

    @Test
    void aRecreatedRouterLegAPortBridgeAndARestartedSwitchAreRepairedByTheNextApply() {
        TwoInstances two = twoInstancesOnOneSubnet("10.3");
        String router = HostNames.routerNamespace(two.vpc());
        // The router leg's veth recreated behind the driver's back: OVS still reads the device it opened, and
        // the instances still know the gateway by its old MAC address, which the driver restores.
        assertTrue(ping(two.instance1(), "10.3.1.1"));
        sh("ip", "-n", hostNs, "link", "del", HostNames.routerBridgeLeg(two.subnet()));
        sh("ip", "-n", hostNs, "link", "add", HostNames.routerBridgeLeg(two.subnet()), "type", "veth", "peer", "name",
                HostNames.routerLeg(two.subnet()), "netns", router);
        sh("ip", "-n", hostNs, "link", "del", OvsNames.portBridge(two.port2()));
        assertTrue(pingFails(two.instance1(), "10.3.1.1"), "router leg recreated, not yet in OVS");
        driver.apply(two.network());
        assertTrue(ping(two.instance1(), "10.3.1.1"), "router leg's port added again");
        assertTrue(ping(two.instance1(), "10.3.1.11"), "port bridge recreated, tap and port device on it again");

        // ovs-vswitchd restarted: it opens the same ports again, and the driver finds nothing to change.
        host.ovs.stopSwitch();
        host.ovs.startSwitch();
        String before = snapshot(router);
        driver.apply(two.network());
        assertEquals(before, snapshot(router));
        assertTrue(ping(two.instance1(), "10.3.1.11"));
        assertTrue(ping(two.instance1(), "10.3.1.1"));
    }

    @Test
    void aFewMegabytesOfTcpCrossTheSwitchAndTheRouterWithoutStalling() throws Exception {
        Port p1 = port(names.id(), "10.7.1.10");
        Port p2 = port(names.id(), "10.7.1.11");
        Port p3 = port(names.id(), "10.7.2.10");
        driver.apply(new HostNetwork(null, List.of(vpc(lab.vpcId(), "10.7.0.0/16",
                List.of(subnet(names.id(), "10.7.1.0/24", p1, p2), subnet(names.id(), "10.7.2.0/24", p3)),
                List.of(), null, List.of()))));
        String a = lab.instance(hostNs, HostNames.instanceSide(p1.portId()), "10.7.1.10/24", "10.7.1.1");
        String b = lab.instance(hostNs, HostNames.instanceSide(p2.portId()), "10.7.1.11/24", "10.7.1.1");
        String c = lab.instance(hostNs, HostNames.instanceSide(p3.portId()), "10.7.2.10/24", "10.7.2.1");
        Duration sameSubnet = lab.transfer(a, b, "10.7.1.11", 5001, 8 << 20, Duration.ofSeconds(15));
        Duration acrossRouter = lab.transfer(c, a, "10.7.1.10", 5002, 8 << 20, Duration.ofSeconds(15));
        System.out.printf("8 MiB over TCP: %d ms in one subnet, %d ms through the router%n",
                sameSubnet.toMillis(), acrossRouter.toMillis());
    }

    @Test
    void probeFindsOvsUsableAndSaysPreciselyWhatIsMissing() {
        HealthReport report = driver.probe();
        assertTrue(report.usable(), report.detail());
        assertTrue(report.detail().contains("userspace TSO on"), report.detail());

        String nowhere = "unix:" + host.ovs.dir.resolve("nowhere.sock");
        HealthReport unreachable = new OvsNetworkDriver(hostNs, "netdev", nowhere, host.dhcpStateDir()).probe();
        assertFalse(unreachable.usable());
        assertTrue(unreachable.detail().contains("cannot reach ovsdb at " + nowhere), unreachable.detail());
        assertTrue(unreachable.detail().contains("No such file or directory"), unreachable.detail());

        host.ovs.vsctl("set", "Open_vSwitch", ".", "other_config:userspace-tso-enable=false");
        HealthReport noTso = driver.probe();
        assertFalse(noTso.usable());
        assertTrue(noTso.detail().contains("userspace-tso-enable is not true"), noTso.detail());

        host.ovs.stopSwitch();
        HealthReport noSwitch = driver.probe();
        assertFalse(noSwitch.usable());
        assertTrue(noSwitch.detail().contains("ovs-vswitchd does not apply changes"), noSwitch.detail());
    }
}
