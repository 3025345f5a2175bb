package io.goncloud.driver.network.common.testing;

import static io.goncloud.api.spi.network.FirewallPolicy.Direction.INBOUND;
import static io.goncloud.api.spi.network.FirewallPolicy.Direction.OUTBOUND;
import static io.goncloud.driver.network.common.testing.NetnsLab.ping;
import static io.goncloud.driver.network.common.testing.NetnsLab.pingFails;
import static io.goncloud.driver.network.common.testing.NetnsLab.tcpAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.network.FirewallDriver;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.AclEntry;
import io.goncloud.api.spi.network.FirewallPolicy.Direction;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The security-group and network-ACL scenarios every network layout must pass with a firewall driver,
 * with real packets: one VPC ({@code 10.5.0.0/16}) with two subnets, instances a and b in subnet 1
 * ({@code 10.5.1.0/24}) and c in subnet 2 ({@code 10.5.2.0/24}), gateways at {@code .1}. A subclass
 * builds that worker its way (by hand like a Linux-bridge driver, or with a network driver) and names
 * the firewall; the scenarios are the same.
 */
public abstract class FirewallScenarios {

    protected static final String A = "10.5.1.10";
    protected static final String B = "10.5.1.11";
    protected static final String C = "10.5.2.10";
    protected static final String ANYWHERE = "0.0.0.0/0";

    protected NetnsLab lab;
    protected String host;
    protected String vpcId;
    protected String subnet1;
    protected String subnet2;
    protected String portA;
    protected String portB;
    protected String portC;
    protected String instanceA;
    protected String instanceB;
    protected String instanceC;
    protected FirewallDriver firewall;

    /** The suite's names. */
    protected abstract LabNames names();

    /**
     * Builds the worker: sets {@link #lab}, {@link #host}, {@link #vpcId}, the instances' namespaces and
     * {@link #firewall} (the subnet and port ids are drawn before).
     */
    protected abstract void buildWorker();

    /** How many conntrack entries one bridged flow has: one per Linux bridge it crosses with br_netfilter. */
    protected abstract int trackedEntriesPerFlow();

    @BeforeEach
    void build() {
        subnet1 = names().id();
        subnet2 = names().id();
        portA = names().id();
        portB = names().id();
        portC = names().id();
        buildWorker();
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
        firewall.apply(policy(List.of(a, b), openAcls()));

        assertNull(tcpAnswer(instanceA, B, 8080, 0.5), "no rule: inbound TCP dropped");
        assertTrue(pingFails(instanceA, B), "no rule: inbound ICMP dropped");
        NetnsLab.Connection flow = lab.connect(instanceA, B, 9000);
        assertEquals("one", flow.exchange("one", Duration.ofSeconds(3)), "allowed by the 9000 rule");

        PortPolicy bOpen = port(portB, B, in("tcp", 9000, 9000, "10.5.0.0/16"), in("tcp", 8080, 8080, A + "/32"),
                out("all", 0, 65535, ANYWHERE));
        firewall.apply(policy(List.of(a, bOpen), openAcls()));
        assertEquals(A, tcpAnswer(instanceA, B, 8080, 2), "opened by a rule");
        PortPolicy bOpen9100 = port(portB, B, in("tcp", 9000, 9000, "10.5.0.0/16"), in("tcp", 9100, 9100, A + "/32"),
                out("all", 0, 65535, ANYWHERE));
        firewall.apply(policy(List.of(a, bOpen9100), openAcls()));
        NetnsLab.Connection tracked = lab.connect(instanceA, B, 9100);
        assertEquals("first", tracked.exchange("first", Duration.ofSeconds(3)), "allowed by the 9100 rule");

        firewall.apply(policy(List.of(a, b), openAcls()));
        assertNull(tcpAnswer(instanceA, B, 8080, 0.5), "closed again when the rule is removed");
        assertEquals("two", flow.exchange("two", Duration.ofSeconds(3)), "the established flow survived the changes");
        assertEquals("second", tracked.exchange("second", Duration.ofSeconds(3)),
                "a tracked connection outlives the rule that allowed it");
        assertNull(tcpAnswer(instanceA, B, 9100, 0.5), "but no new connection gets through");
        String entries = NetnsLab.run("ip", "netns", "exec", host, "conntrack", "-L", "-p", "tcp", "--dport", "9000");
        assertEquals(trackedEntriesPerFlow(), entries.lines()
                        .filter(l -> l.contains("ESTABLISHED") && l.matches(".*zone=[1-9].*")).count(),
                "the flow is tracked in its bridges' own zones, kept across applies: " + entries);
    }

    @Test
    void repliesPassWithoutRulesOfTheirOwnAndAPortWithoutPolicyIsClosed() {
        lab.peerEchoServer(instanceA, 8080);
        lab.peerEchoServer(instanceB, 8080);
        lab.peerEchoServer(instanceC, 8080);
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("tcp", 8080, 8080, "10.5.1.0/24"));
        firewall.apply(policy(List.of(a, b), openAcls()));

        assertEquals(A, tcpAnswer(instanceA, B, 8080, 2),
                "b's replies pass though b allows no outbound and a no inbound traffic");
        assertNull(tcpAnswer(instanceB, A, 8080, 0.5), "b may not open connections");
        assertTrue(pingFails(instanceA, C), "c has no policy yet: closed");

        PortPolicy c = port(portC, C, in("icmp", -1, -1, ANYWHERE), in("tcp", 8080, 8080, "10.5.1.0/24"));
        firewall.apply(policy(List.of(a, b, c), openAcls()));
        assertTrue(ping(instanceA, C), "c's inbound ICMP rule, through the router");
        assertEquals(A, tcpAnswer(instanceA, C, 8080, 2), "c's inbound TCP rule, replies back through the router");
        assertNull(tcpAnswer(instanceC, A, 8080, 0.5), "c has no outbound rule, a no inbound one");
    }

    @Test
    void aclDenyAtALowerNumberBeatsAnAllowAtAHigherOne() {
        lab.peerEchoServer(instanceC, 8080);
        lab.peerEchoServer(instanceC, 9000);
        List<AclEntry> denyFirst = List.of(entry(100, INBOUND, "tcp", 8080, 8080, "10.5.1.0/24", false),
                entry(200, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "all", 0, 65535, ANYWHERE, true));
        firewall.apply(policy(openPorts(), List.of(openAcl(subnet1), acl(subnet2, denyFirst))));

        assertNull(tcpAnswer(instanceA, C, 8080, 0.5), "deny 100 comes before allow 200");
        assertEquals(A, tcpAnswer(instanceA, C, 9000, 2), "allow 200 for the rest");

        List<AclEntry> denyLast = List.of(entry(300, INBOUND, "tcp", 8080, 8080, "10.5.1.0/24", false),
                entry(200, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "all", 0, 65535, ANYWHERE, true));
        firewall.apply(policy(openPorts(), List.of(openAcl(subnet1), acl(subnet2, denyLast))));
        assertEquals(A, tcpAnswer(instanceA, C, 8080, 2), "allow 200 now comes before deny 300");
    }

    @Test
    void aclsAreStatelessSoRepliesNeedAnEntryOfTheirOwn() {
        lab.peerEchoServer(instanceC, 8080);
        List<AclEntry> icmpOut = List.of(entry(100, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "icmp", -1, -1, ANYWHERE, true));
        firewall.apply(policy(openPorts(), List.of(openAcl(subnet1), acl(subnet2, icmpOut))));

        assertTrue(ping(instanceA, C), "echo in, reply out: both have an entry");
        assertNull(tcpAnswer(instanceA, C, 8080, 0.5), "the SYN gets in, no entry lets the reply out");

        List<AclEntry> withReplies = new ArrayList<>(icmpOut);
        withReplies.add(entry(110, OUTBOUND, "tcp", 1024, 65535, "10.5.1.0/24", true));
        firewall.apply(policy(openPorts(), List.of(openAcl(subnet1), acl(subnet2, withReplies))));
        assertEquals(A, tcpAnswer(instanceA, C, 8080, 2), "replies to ephemeral ports allowed out");
    }

    // --- policies

    protected List<PortPolicy> openPorts() {
        return List.of(port(portA, A, in("all", 0, 65535, ANYWHERE), out("all", 0, 65535, ANYWHERE)),
                port(portB, B, in("all", 0, 65535, ANYWHERE), out("all", 0, 65535, ANYWHERE)),
                port(portC, C, in("all", 0, 65535, ANYWHERE), out("all", 0, 65535, ANYWHERE)));
    }

    protected List<SubnetAcl> openAcls() {
        return List.of(openAcl(subnet1), openAcl(subnet2));
    }

    protected SubnetAcl openAcl(String subnetId) {
        return acl(subnetId, openEntries());
    }

    protected SubnetAcl acl(String subnetId, List<AclEntry> entries) {
        return new SubnetAcl(vpcId, subnetId, subnetId.equals(subnet1) ? "10.5.1.0/24" : "10.5.2.0/24", entries);
    }

    protected static List<AclEntry> openEntries() {
        return List.of(entry(100, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "all", 0, 65535, ANYWHERE, true));
    }

    protected static FirewallPolicy policy(List<PortPolicy> ports, List<SubnetAcl> acls) {
        return new FirewallPolicy(ports, acls);
    }

    protected static PortPolicy port(String id, String address, Rule... rules) {
        return new PortPolicy(id, address, List.of(rules));
    }

    protected static Rule in(String protocol, int from, int to, String... cidrs) {
        return new Rule(INBOUND, protocol, from, to, List.of(cidrs));
    }

    protected static Rule out(String protocol, int from, int to, String... cidrs) {
        return new Rule(OUTBOUND, protocol, from, to, List.of(cidrs));
    }

    protected static AclEntry entry(int number, Direction direction, String protocol, int from, int to, String cidr,
                                    boolean allow) {
        return new AclEntry(number, direction, protocol, from, to, cidr, allow);
    }
}
