package io.goncloud.driver.nftables;

import static io.goncloud.driver.nftables.Lab.ping;
import static io.goncloud.driver.nftables.Lab.pingFails;
import static io.goncloud.driver.nftables.Lab.run;
import static io.goncloud.driver.nftables.Lab.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.driver.network.common.testing.FirewallScenarios;
import io.goncloud.driver.network.common.testing.LabNames;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The driver against the real kernel, with real packets, on a worker host built by hand as the
 * Linux-bridge driver lays it out ({@link Worker}): the shared scenarios ({@link FirewallScenarios}),
 * and what is this driver's own (incremental changes, foreign tables, the probe). Needs root, iproute2,
 * nftables, ping, socat and conntrack.
 */
class NftablesFirewallDriverTest extends FirewallScenarios {

    private Worker worker;
    private NftablesFirewallDriver driver;

    @BeforeAll
    static void requireNamespaces() {
        Lab.NAMES.assumeNamespacesWork();
        Lab.NAMES.removeLeftovers();
    }

    @Override
    protected LabNames names() {
        return Lab.NAMES;
    }

    @Override
    protected void buildWorker() {
        Lab lab = new Lab();
        this.lab = lab;
        worker = new Worker(lab);
        host = worker.host;
        vpcId = worker.vpcId;
        worker.subnet(subnet1, "10.5.1.1");
        worker.subnet(subnet2, "10.5.2.1");
        instanceA = worker.instance(portA, subnet1, A, "10.5.1.1");
        instanceB = worker.instance(portB, subnet1, B, "10.5.1.1");
        instanceC = worker.instance(portC, subnet2, C, "10.5.2.1");
        driver = new NftablesFirewallDriver(worker.host);
        firewall = driver;
    }

    @Override
    protected int trackedEntriesPerFlow() {
        return 1; // the subnet bridge
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
    void aChangeRewritesOnlyTheChainsOfWhatChangedAFreshDriverChangesNothingAndAForeignShapedTableIsReplacedWhole() {
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("icmp", -1, -1, ANYWHERE), out("all", 0, 65535, ANYWHERE));
        driver.apply(policy(List.of(a, b), openAcls()));
        Set<String> before = chainHandles();
        String maps = maps();

        PortPolicy bChanged = port(portB, B, in("icmp", 8, -1, "10.5.1.0/24"), out("all", 0, 65535, ANYWHERE));
        driver.apply(policy(List.of(a, bChanged), openAcls()));
        Set<String> after = chainHandles();

        String shortA = HostNames.shortId(portA);
        String shortB = HostNames.shortId(portB);
        assertEquals(only(before, "_" + shortA + "_"), only(after, "_" + shortA + "_"), "a's chains untouched");
        assertEquals(only(before, "out_" + shortB + "_"), only(after, "out_" + shortB + "_"), "b's outbound untouched");
        assertNotEquals(only(before, "in_" + shortB + "_"), only(after, "in_" + shortB + "_"), "b's inbound rewritten");
        assertEquals(1, only(after, "in_" + shortB + "_").size(), "the old inbound chain is gone");
        assertEquals(only(before, "gress_"), only(after, "gress_"), "base chains untouched");
        assertEquals(maps.replaceAll("in_" + shortB + "_\\w+", ""), maps().replaceAll("in_" + shortB + "_\\w+", ""),
                "only b's inbound map element changed");
        assertTrue(ping(instanceA, B));

        // A driver with no memory (a restarted agent) finds everything in place: not one chain is rewritten.
        new NftablesFirewallDriver(worker.host).apply(policy(List.of(a, bChanged), openAcls()));
        assertEquals(after, chainHandles(), "a fresh driver converges from the kernel's state");

        // Someone rebuilt the table with a set of another type. A change-driven apply trusts what the driver
        // committed (for KERNEL_READ_INTERVAL) and does nothing; a full apply reads the kernel, the incremental
        // update cannot apply, and the tables are replaced.
        sh("ip", "netns", "exec", worker.host, "nft", "delete", "table", "bridge", "gcp_sg");
        sh("ip", "netns", "exec", worker.host, "nft",
                "add table bridge gcp_sg; add set bridge gcp_sg ports { type ipv4_addr; }");
        driver.applyChanges(policy(List.of(a, bChanged), openAcls()));
        assertTrue(run("ip", "netns", "exec", worker.host, "nft", "list", "set", "bridge", "gcp_sg", "ports")
                .contains("type ipv4_addr"), "a change-driven apply trusts its record: no nft process for nothing");
        driver.apply(policy(List.of(a, bChanged), openAcls()));
        assertTrue(run("ip", "netns", "exec", worker.host, "nft", "list", "set", "bridge", "gcp_sg", "ports")
                .contains("type ifname"), "table replaced whole");
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

    private String maps() {
        return sh("ip", "netns", "exec", worker.host, "nft", "list", "maps", "bridge");
    }

    private static Set<String> only(Set<String> chains, String part) {
        Set<String> matching = new TreeSet<>();
        chains.stream().filter(c -> c.contains(part)).forEach(matching::add);
        return matching;
    }
}
