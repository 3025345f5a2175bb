package io.goncloud.driver.ovs;

import static io.goncloud.api.spi.network.FirewallPolicy.Direction.INBOUND;
import static io.goncloud.api.spi.network.FirewallPolicy.Direction.OUTBOUND;
import static io.goncloud.driver.ovs.Lab.ping;
import static io.goncloud.driver.ovs.Lab.pingFails;
import static io.goncloud.driver.ovs.Lab.run;
import static io.goncloud.driver.ovs.Lab.sh;
import static io.goncloud.driver.ovs.Lab.tcpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.nftables.NftablesFirewallDriver;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security groups of the unchanged nftables firewall driver on ports of this driver, with real packets:
 * the hybrid plug puts every port device on a Linux bridge of its own, where the firewall filters and
 * tracks connections exactly as on the Linux-bridge driver's subnet bridges. One VPC with two subnets,
 * instances a and b in subnet 1 and c in subnet 2. Needs root, iproute2, nftables, openvswitch-switch,
 * ping, socat and conntrack.
 */
class OvsWithNftablesFirewallTest {

    private static final String A = "10.5.1.10";
    private static final String B = "10.5.1.11";
    private static final String C = "10.5.2.10";
    private static final String ANYWHERE = "0.0.0.0/0";

    private Lab lab;
    private String host;
    private NftablesFirewallDriver firewall;
    private final String portA = Lab.NAMES.id();
    private final String portB = Lab.NAMES.id();
    private final String portC = Lab.NAMES.id();
    private String instanceA;
    private String instanceB;
    private String instanceC;

    @BeforeAll
    static void requireNamespacesAndOvs() {
        Lab.NAMES.assumeNamespacesWork();
        assumeTrue(OvsDaemons.installed(), "needs Open vSwitch (apt-get install openvswitch-switch)");
        Lab.removeLeftovers();
    }

    @BeforeEach
    void buildWorker() {
        lab = new Lab();
        OvsDaemons ovs = lab.host();
        host = ovs.host;
        // Off for the whole namespace: bridged conntrack must come from the per-port bridges' own setting.
        sh("ip", "netns", "exec", host, "sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=0");
        String vpc = lab.vpcId();
        String subnet1 = Lab.NAMES.id();
        String subnet2 = Lab.NAMES.id();
        new OvsNetworkDriver(host, "netdev", ovs.remote(), lab.dhcpStateDir()).apply(new HostNetwork(null, List.of(new VpcNetwork(vpc,
                "10.5.0.0/16", List.of(subnet(subnet1, "10.5.1.0/24", "10.5.1.1", portA, A, portB, B),
                        subnet(subnet2, "10.5.2.0/24", "10.5.2.1", portC, C)), List.of(), null, List.of()))));
        instanceA = lab.instance(host, HostNames.instanceSide(portA), A + "/24", "10.5.1.1");
        instanceB = lab.instance(host, HostNames.instanceSide(portB), B + "/24", "10.5.1.1");
        instanceC = lab.instance(host, HostNames.instanceSide(portC), C + "/24", "10.5.2.1");
        firewall = new NftablesFirewallDriver(new NftablesFirewallDriver.Config() {
            @Override
            public String host_netns() {
                return host;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return NftablesFirewallDriver.Config.class;
            }
        });
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void inboundIsClosedByDefaultOpenedByARuleAndClosedAgainWhileAnEstablishedFlowSurvives() throws Exception {
        lab.peerEchoServer(instanceB, 8080);
        lab.lineEchoServer(instanceB, 9000);
        lab.lineEchoServer(instanceB, 9100);
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("tcp", 9000, 9000, "10.5.0.0/16"), out("all", 0, 65535, ANYWHERE));
        firewall.apply(policy(a, b));

        assertNull(tcpAnswer(instanceA, B, 8080, 0.5), "no rule: inbound TCP dropped");
        assertTrue(pingFails(instanceA, B), "no rule: inbound ICMP dropped");
        Lab.Connection flow = lab.connect(instanceA, B, 9000);
        assertEquals("one", flow.exchange("one", Duration.ofSeconds(3)), "allowed by the 9000 rule");

        PortPolicy bOpen = port(portB, B, in("tcp", 9000, 9000, "10.5.0.0/16"), in("tcp", 8080, 8080, A + "/32"),
                out("all", 0, 65535, ANYWHERE));
        firewall.apply(policy(a, bOpen));
        assertEquals(A, tcpAnswer(instanceA, B, 8080, 2), "opened by a rule");
        PortPolicy bOpen9100 = port(portB, B, in("tcp", 9000, 9000, "10.5.0.0/16"), in("tcp", 9100, 9100, A + "/32"),
                out("all", 0, 65535, ANYWHERE));
        firewall.apply(policy(a, bOpen9100));
        Lab.Connection tracked = lab.connect(instanceA, B, 9100);
        assertEquals("first", tracked.exchange("first", Duration.ofSeconds(3)), "allowed by the 9100 rule");

        firewall.apply(policy(a, b));
        assertNull(tcpAnswer(instanceA, B, 8080, 0.5), "closed again when the rule is removed");
        assertEquals("two", flow.exchange("two", Duration.ofSeconds(3)), "the established flow survived the changes");
        assertEquals("second", tracked.exchange("second", Duration.ofSeconds(3)),
                "a tracked connection outlives the rule that allowed it");
        assertNull(tcpAnswer(instanceA, B, 9100, 0.5), "but no new connection gets through");
        String entries = run("ip", "netns", "exec", host, "conntrack", "-L", "-p", "tcp", "--dport", "9000");
        assertEquals(2, entries.lines().filter(l -> l.contains("ESTABLISHED") && l.matches(".*zone=[1-9].*")).count(),
                "the flow is tracked on both port bridges, each in a zone of its own (kept across applies): "
                        + entries);
    }

    @Test
    void repliesPassWithoutRulesOfTheirOwnAndAPortWithoutPolicyIsClosed() {
        lab.peerEchoServer(instanceA, 8080);
        lab.peerEchoServer(instanceB, 8080);
        lab.peerEchoServer(instanceC, 8080);
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("tcp", 8080, 8080, "10.5.1.0/24"));
        firewall.apply(policy(a, b));

        assertEquals(A, tcpAnswer(instanceA, B, 8080, 2),
                "b's replies pass though b allows no outbound and a no inbound traffic");
        assertNull(tcpAnswer(instanceB, A, 8080, 0.5), "b may not open connections");
        assertTrue(pingFails(instanceA, C), "c has no policy yet: closed");

        PortPolicy c = port(portC, C, in("icmp", -1, -1, ANYWHERE), in("tcp", 8080, 8080, "10.5.1.0/24"));
        firewall.apply(policy(a, b, c));
        assertTrue(ping(instanceA, C), "c's inbound ICMP rule, through the router");
        assertEquals(A, tcpAnswer(instanceA, C, 8080, 2), "c's inbound TCP rule, replies back through the router");
        assertNull(tcpAnswer(instanceC, A, 8080, 0.5), "c has no outbound rule, a no inbound one");
    }

    @Test
    void aTransferBetweenAllowedInstancesIsNotSlowedToAStallByTheFirewall() throws Exception {
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("tcp", 5001, 5001, A + "/32"));
        firewall.apply(policy(a, b));
        Path blob = Files.createTempFile(Lab.NAMES.prefix() + LabNames.PID + "-", ".bin");
        try {
            byte[] bytes = new byte[8 << 20];
            new Random(7).nextBytes(bytes);
            Files.write(blob, bytes);
            Duration took = lab.transfer(instanceA, instanceB, B, 5001, blob, Duration.ofSeconds(15));
            System.out.printf("8 MiB over TCP through OVS and the firewall: %d ms%n", took.toMillis());
        } finally {
            Files.deleteIfExists(blob);
        }
    }

    // --- the platform's side, reduced to what the tests need

    private static SubnetNetwork subnet(String id, String cidr, String gateway, String... portsAndAddresses) {
        List<Port> ports = new java.util.ArrayList<>();
        for (int i = 0; i < portsAndAddresses.length; i += 2) {
            ports.add(new Port(portsAndAddresses[i], Lab.NAMES.id(), null, portsAndAddresses[i + 1]));
        }
        return new SubnetNetwork(id, cidr, gateway, ports);
    }

    private static FirewallPolicy policy(PortPolicy... ports) {
        return new FirewallPolicy(List.of(ports), List.of());
    }

    private static PortPolicy port(String id, String address, Rule... rules) {
        return new PortPolicy(id, address, List.of(rules));
    }

    private static Rule in(String protocol, int from, int to, String... cidrs) {
        return new Rule(INBOUND, protocol, from, to, List.of(cidrs));
    }

    private static Rule out(String protocol, int from, int to, String... cidrs) {
        return new Rule(OUTBOUND, protocol, from, to, List.of(cidrs));
    }
}
