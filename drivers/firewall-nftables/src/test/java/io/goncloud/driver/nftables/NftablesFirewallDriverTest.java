package io.goncloud.driver.nftables;

import static io.goncloud.driver.nftables.Lab.ping;
import static io.goncloud.driver.nftables.Lab.pingFails;
import static io.goncloud.driver.nftables.Lab.run;
import static io.goncloud.driver.nftables.Lab.sh;
import static io.goncloud.driver.nftables.Lab.tcpAnswer;
import static io.goncloud.api.spi.network.FirewallPolicy.Direction.INBOUND;
import static io.goncloud.api.spi.network.FirewallPolicy.Direction.OUTBOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.AclEntry;
import io.goncloud.api.spi.network.FirewallPolicy.Direction;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.Rule;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import io.goncloud.api.spi.network.HostNames;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver against the real kernel, with real packets: a fake worker host (a namespace) holding one
 * VPC with two subnets, instances a and b in subnet 1 and c in subnet 2, all wired as a network driver
 * would. Needs root, iproute2, nftables, ping, socat and conntrack.
 */
class NftablesFirewallDriverTest {

    private static final String A = "10.5.1.10";
    private static final String B = "10.5.1.11";
    private static final String C = "10.5.2.10";
    private static final String ANYWHERE = "0.0.0.0/0";

    private Lab lab;
    private Worker worker;
    private NftablesFirewallDriver driver;
    private final String subnet1 = Lab.NAMES.id();
    private final String subnet2 = Lab.NAMES.id();
    private final String portA = Lab.NAMES.id();
    private final String portB = Lab.NAMES.id();
    private final String portC = Lab.NAMES.id();
    private String instanceA;
    private String instanceB;
    private String instanceC;

    @BeforeAll
    static void requireNamespaces() {
        Lab.NAMES.assumeNamespacesWork();
        Lab.NAMES.removeLeftovers();
    }

    @BeforeEach
    void buildWorker() {
        lab = new Lab();
        worker = new Worker(lab);
        worker.subnet(subnet1, "10.5.1.1");
        worker.subnet(subnet2, "10.5.2.1");
        instanceA = worker.instance(portA, subnet1, A, "10.5.1.1");
        instanceB = worker.instance(portB, subnet1, B, "10.5.1.1");
        instanceC = worker.instance(portC, subnet2, C, "10.5.2.1");
        driver = new NftablesFirewallDriver(worker.host);
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void inboundIsClosedByDefaultOpenedByARuleAndClosedAgainWhileAnEstablishedFlowSurvives() throws IOException {
        lab.peerEchoServer(instanceB, 8080);
        lab.lineEchoServer(instanceB, 9000);
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("tcp", 9000, 9000, "10.5.0.0/16"), out("all", 0, 65535, ANYWHERE));
        driver.apply(policy(List.of(a, b), openAcls()));

        assertNull(tcpAnswer(instanceA, B, 8080, 0.5), "no rule: inbound TCP dropped");
        assertTrue(pingFails(instanceA, B), "no rule: inbound ICMP dropped");
        Lab.Connection flow = lab.connect(instanceA, B, 9000);
        assertEquals("one", flow.exchange("one", Duration.ofSeconds(3)), "allowed by the 9000 rule");

        PortPolicy bOpen = port(portB, B, in("tcp", 9000, 9000, "10.5.0.0/16"), in("tcp", 8080, 8080, A + "/32"),
                out("all", 0, 65535, ANYWHERE));
        driver.apply(policy(List.of(a, bOpen), openAcls()));
        assertEquals(A, tcpAnswer(instanceA, B, 8080, 2), "opened by a rule");

        driver.apply(policy(List.of(a, b), openAcls()));
        assertNull(tcpAnswer(instanceA, B, 8080, 0.5), "closed again when the rule is removed");
        assertEquals("two", flow.exchange("two", Duration.ofSeconds(3)), "the established flow survived both changes");
        String tracked = run("ip", "netns", "exec", worker.host, "conntrack", "-L", "-p", "tcp", "--dport", "9000");
        assertTrue(tracked.matches("(?s).*zone=[1-9].*"), "bridged flows are tracked in their bridge's conntrack zone");
        assertEquals(1, tracked.lines().filter(l -> l.contains("dport=9000")).count(),
                "one entry: the bridge kept its zone across the applies: " + tracked);
    }

    @Test
    void repliesPassWithoutRulesOfTheirOwnAndAPortWithoutPolicyIsClosed() {
        lab.peerEchoServer(instanceA, 8080);
        lab.peerEchoServer(instanceB, 8080);
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("tcp", 8080, 8080, "10.5.1.0/24"));
        driver.apply(policy(List.of(a, b), openAcls()));

        assertEquals(A, tcpAnswer(instanceA, B, 8080, 2),
                "b's replies pass though b allows no outbound and a no inbound traffic");
        assertNull(tcpAnswer(instanceB, A, 8080, 0.5), "b may not open connections");
        assertTrue(pingFails(instanceA, C), "c has no policy yet: closed");

        PortPolicy c = port(portC, C, in("icmp", -1, -1, ANYWHERE));
        driver.apply(policy(List.of(a, b, c), openAcls()));
        assertTrue(ping(instanceA, C), "c's inbound ICMP rule, through the router");
    }

    @Test
    void aclDenyAtALowerNumberBeatsAnAllowAtAHigherOne() {
        lab.peerEchoServer(instanceC, 8080);
        lab.peerEchoServer(instanceC, 9000);
        List<PortPolicy> open = openPorts();
        List<AclEntry> denyFirst = List.of(entry(100, INBOUND, "tcp", 8080, 8080, "10.5.1.0/24", false),
                entry(200, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "all", 0, 65535, ANYWHERE, true));
        driver.apply(policy(open, List.of(openAcl(subnet1), acl(subnet2, denyFirst))));

        assertNull(tcpAnswer(instanceA, C, 8080, 0.5), "deny 100 comes before allow 200");
        assertEquals(A, tcpAnswer(instanceA, C, 9000, 2), "allow 200 for the rest");

        List<AclEntry> denyLast = List.of(entry(300, INBOUND, "tcp", 8080, 8080, "10.5.1.0/24", false),
                entry(200, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "all", 0, 65535, ANYWHERE, true));
        driver.apply(policy(open, List.of(openAcl(subnet1), acl(subnet2, denyLast))));
        assertEquals(A, tcpAnswer(instanceA, C, 8080, 2), "allow 200 now comes before deny 300");
    }

    @Test
    void aclsAreStatelessSoRepliesNeedAnEntryOfTheirOwn() {
        lab.peerEchoServer(instanceC, 8080);
        List<AclEntry> icmpOut = List.of(entry(100, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "icmp", -1, -1, ANYWHERE, true));
        driver.apply(policy(openPorts(), List.of(openAcl(subnet1), acl(subnet2, icmpOut))));

        assertTrue(ping(instanceA, C), "echo in, reply out: both have an entry");
        assertNull(tcpAnswer(instanceA, C, 8080, 0.5), "the SYN gets in, no entry lets the reply out");

        List<AclEntry> withReplies = new ArrayList<>(icmpOut);
        withReplies.add(entry(110, OUTBOUND, "tcp", 1024, 65535, "10.5.1.0/24", true));
        driver.apply(policy(openPorts(), List.of(openAcl(subnet1), acl(subnet2, withReplies))));
        assertEquals(A, tcpAnswer(instanceA, C, 8080, 2), "replies to ephemeral ports allowed out");
    }

    @Test
    void aclTablesOfRoutersNoLongerInThePolicyAreDeletedAndForeignTablesKept() {
        String otherVpc = lab.vpcId();
        String otherRouter = lab.router(otherVpc, worker.host);
        String foreignVpc = lab.vpcId();
        String foreignRouter = lab.router(foreignVpc, "another-host");
        SubnetAcl foreignAcl = new SubnetAcl(foreignVpc, Lab.NAMES.id(), "10.9.2.0/24", openEntries());
        SubnetAcl otherAcl = new SubnetAcl(otherVpc, Lab.NAMES.id(), "10.9.1.0/24", openEntries());
        driver.apply(policy(openPorts(), List.of(openAcl(subnet1), openAcl(subnet2), otherAcl, foreignAcl)));
        assertTrue(tables(otherRouter).contains("table inet gcp_acl"));
        assertTrue(tables(foreignRouter).contains("table inet gcp_acl"));
        sh("ip", "netns", "exec", otherRouter, "nft", "add", "table", "inet", "keepme");
        sh("ip", "netns", "exec", worker.host, "nft", "add", "table", "bridge", "keepme");

        driver.apply(policy(openPorts(), List.of(openAcl(subnet1), openAcl(subnet2))));

        assertFalse(tables(otherRouter).contains("gcp_acl"), "ACL table of a router no longer in the policy");
        assertTrue(tables(otherRouter).contains("table inet keepme"), "foreign table in a router");
        assertTrue(tables(worker.host).contains("table bridge keepme"), "foreign table on the host");
        assertTrue(tables(worker.router).contains("table inet gcp_acl"), "the policy's router keeps its table");
        assertTrue(run("ip", "netns", "list").contains(otherRouter), "the router namespace is not ours to delete");
        assertTrue(tables(foreignRouter).contains("table inet gcp_acl"),
                "a router serving another host (another driver's test on this machine) is left alone");
    }

    @Test
    void aChangeRewritesOnlyTheChainsOfWhatChangedAndAForeignShapedTableIsReplacedWhole() {
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("icmp", -1, -1, ANYWHERE), out("all", 0, 65535, ANYWHERE));
        driver.apply(policy(List.of(a, b), openAcls()));
        Set<String> before = chainHandles();

        PortPolicy bChanged = port(portB, B, in("icmp", 8, -1, "10.5.1.0/24"), out("all", 0, 65535, ANYWHERE));
        driver.apply(policy(List.of(a, bChanged), openAcls()));
        Set<String> after = chainHandles();

        String shortA = HostNames.shortId(portA);
        String shortB = HostNames.shortId(portB);
        assertEquals(only(before, "_" + shortA + "_"), only(after, "_" + shortA + "_"), "a's chains untouched");
        assertEquals(only(before, "out_" + shortB + "_"), only(after, "out_" + shortB + "_"), "b's outbound untouched");
        assertNotEquals(only(before, "in_" + shortB + "_"), only(after, "in_" + shortB + "_"), "b's inbound rewritten");
        assertEquals(1, only(after, "in_" + shortB + "_").size(), "the old inbound chain is gone");
        assertTrue(ping(instanceA, B));

        // Someone rebuilt the table with another hook priority: the incremental update cannot apply.
        sh("ip", "netns", "exec", worker.host, "nft", "delete", "table", "bridge", "gcp_sg");
        sh("ip", "netns", "exec", worker.host, "nft",
                "add table bridge gcp_sg; add chain bridge gcp_sg forward { type filter hook forward priority 50; }");
        driver.apply(policy(List.of(a, bChanged), openAcls()));
        assertTrue(run("ip", "netns", "exec", worker.host, "nft", "list", "chain", "bridge", "gcp_sg", "forward")
                .contains("priority filter"), "table replaced whole");
        assertTrue(ping(instanceA, B));
        assertTrue(pingFails(instanceC, B), "c is outside b's ICMP source block");
        assertTrue(run("ip", "-n", worker.host, "-d", "link", "show", HostNames.subnetBridge(subnet1))
                .contains("nf_call_iptables 1"), "bridged conntrack enabled on the subnet bridge");
    }

    @Test
    void probeFindsNftablesAndBridgedConntrackUsable() {
        HealthReport report = driver.probe();
        assertTrue(report.usable(), report.detail());
        assertTrue(report.detail().contains("br_netfilter"), report.detail());
    }

    // --- policies

    private List<PortPolicy> openPorts() {
        return List.of(port(portA, A, in("all", 0, 65535, ANYWHERE), out("all", 0, 65535, ANYWHERE)),
                port(portB, B, in("all", 0, 65535, ANYWHERE), out("all", 0, 65535, ANYWHERE)),
                port(portC, C, in("all", 0, 65535, ANYWHERE), out("all", 0, 65535, ANYWHERE)));
    }

    private List<SubnetAcl> openAcls() {
        return List.of(openAcl(subnet1), openAcl(subnet2));
    }

    private SubnetAcl openAcl(String subnetId) {
        return acl(subnetId, openEntries());
    }

    private SubnetAcl acl(String subnetId, List<AclEntry> entries) {
        return new SubnetAcl(worker.vpcId, subnetId, subnetId.equals(subnet1) ? "10.5.1.0/24" : "10.5.2.0/24", entries);
    }

    private static List<AclEntry> openEntries() {
        return List.of(entry(100, INBOUND, "all", 0, 65535, ANYWHERE, true),
                entry(100, OUTBOUND, "all", 0, 65535, ANYWHERE, true));
    }

    private static FirewallPolicy policy(List<PortPolicy> ports, List<SubnetAcl> acls) {
        return new FirewallPolicy(ports, acls);
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

    private static AclEntry entry(int number, Direction direction, String protocol, int from, int to, String cidr,
                                  boolean allow) {
        return new AclEntry(number, direction, protocol, from, to, cidr, allow);
    }

    // --- what the kernel holds

    private static String tables(String namespace) {
        return run("ip", "netns", "exec", namespace, "nft", "list", "tables");
    }

    /** "name handle" of every chain of the host's security group table. */
    private Set<String> chainHandles() {
        String listing = sh("ip", "netns", "exec", worker.host, "nft", "-a", "list", "table", "bridge", "gcp_sg");
        Set<String> chains = new TreeSet<>();
        Matcher chain = Pattern.compile("chain (\\S+) \\{ # handle (\\d+)").matcher(listing);
        while (chain.find()) {
            chains.add(chain.group(1) + " " + chain.group(2));
        }
        return chains;
    }

    private static Set<String> only(Set<String> chains, String part) {
        Set<String> matching = new TreeSet<>();
        chains.stream().filter(c -> c.contains(part)).forEach(matching::add);
        return matching;
    }
}
