package io.goncloud.driver.network.common.testing;

import static io.goncloud.driver.network.common.testing.NetnsLab.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DHCP scenario every network driver must pass, with real DHCP clients: unconfigured instances get
 * exactly their ports' addresses and the gateway; another apply touches no server; a removed port's lease
 * disappears and a new port's appears without a restart; a subnet keeps its server without ports (after its
 * last port left, or from its creation); a deleted subnet's, then a deleted VPC's, servers are gone; nothing
 * listens for DNS or outside the router.
 */
public final class DhcpScenario {

    private DhcpScenario() {
    }

    /**
     * @param host     the fake worker host the driver builds in
     * @param apply    the driver's apply
     * @param stateDir the driver's DHCP state directory
     */
    public static void run(NetnsLab lab, LabNames names, String host, Consumer<HostNetwork> apply, String stateDir)
            throws IOException {
        assumeTrue(NetnsLab.exec(List.of("dnsmasq", "--version")).ok() && NetnsLab.exec(List.of("busybox")).ok(),
                "needs dnsmasq (apt-get install dnsmasq-base) and busybox (apt-get install busybox-static)");
        String vpc = lab.vpcId();
        String s1 = names.id();
        String s2 = names.id();
        Port p1 = new Port(names.id(), names.id(), "02:00:0a:06:01:0a", "10.6.1.10");
        Port p2 = new Port(names.id(), names.id(), "02:00:0a:06:02:14", "10.6.2.20");
        Port p3 = new Port(names.id(), names.id(), "02:00:0a:06:01:0b", "10.6.1.11");
        Port p4 = new Port(names.id(), names.id(), "02:00:0a:06:01:0c", "10.6.1.12");
        Port noMac = new Port(names.id(), names.id(), null, "10.6.1.13");
        SubnetNetwork subnet2 = new SubnetNetwork(s2, "10.6.2.0/24", "10.6.2.1", List.of(p2));
        apply.accept(network(vpc, new SubnetNetwork(s1, "10.6.1.0/24", "10.6.1.1", List.of(p1, p3, noMac)), subnet2));

        String i1 = lab.bareInstance(host, HostNames.instanceSide(p1.portId()));
        String i2 = lab.bareInstance(host, HostNames.instanceSide(p2.portId()));
        assertEquals("10.6.1.10/255.255.255.0 via 10.6.1.1 lease 3600", lab.dhcp(i1, HostNames.instanceSide(p1.portId())),
                "the port's address and the subnet's gateway, for an hour");
        assertEquals("10.6.2.20/255.255.255.0 via 10.6.2.1 lease 3600", lab.dhcp(i2, HostNames.instanceSide(p2.portId())),
                "the other subnet's server, in the same router");
        assertTrue(ping(i1, "10.6.2.20"), "the leased addresses and routes work across the router");
        Path hosts1 = Path.of(stateDir, vpc, s1, "hosts");
        assertEquals("02:00:0a:06:01:0a,10.6.1.10\n02:00:0a:06:01:0b,10.6.1.11\n", Files.readString(hosts1),
                "static leases only, none for a port without a MAC address");

        String router = HostNames.routerNamespace(vpc);
        String listening = NetnsLab.run("ip", "netns", "exec", router, "ss", "-Hlnup");
        assertEquals(Set.of("0.0.0.0%" + HostNames.routerLeg(s1) + ":67", "0.0.0.0%" + HostNames.routerLeg(s2) + ":67"),
                localAddresses(listening), "DHCP on the two legs only, no DNS: " + listening);
        assertFalse(NetnsLab.run("ip", "netns", "exec", host, "ss", "-Hlnup").contains("dnsmasq"),
                "nothing listens in the host namespace");
        Set<Long> servers = pids(router);
        assertEquals(2, servers.size(), "one server per subnet");

        // Level-triggered: the same state changes nothing, not even the hosts file.
        long written = Files.getLastModifiedTime(hosts1).toMillis();
        apply.accept(network(vpc, new SubnetNetwork(s1, "10.6.1.0/24", "10.6.1.1", List.of(p1, p3, noMac)), subnet2));
        assertEquals(servers, pids(router), "no server restarted");
        assertEquals(written, Files.getLastModifiedTime(hosts1).toMillis(), "hosts file not rewritten");

        // A port added: the server rereads its hosts file, it is not restarted.
        apply.accept(network(vpc, new SubnetNetwork(s1, "10.6.1.0/24", "10.6.1.1", List.of(p1, p3, p4, noMac)), subnet2));
        assertEquals("02:00:0a:06:01:0a,10.6.1.10\n02:00:0a:06:01:0b,10.6.1.11\n02:00:0a:06:01:0c,10.6.1.12\n",
                Files.readString(hosts1), "the new port's lease added");
        assertEquals(servers, pids(router), "reloaded, not restarted");
        String i4 = lab.bareInstance(host, HostNames.instanceSide(p4.portId()));
        NetnsLab.await(() -> lab.dhcp(i4, HostNames.instanceSide(p4.portId())) != null, java.time.Duration.ofSeconds(20),
                "a lease for the new port");
        assertTrue(NetnsLab.run("ip", "-n", i4, "-4", "addr").contains("10.6.1.12/24"), "the new port's address");

        // p3 takes its lease; then its instance goes and its address goes to a new port with another MAC. dnsmasq
        // keeps leases in memory: without a restart it would refuse the address to the new owner.
        String i3 = lab.bareInstance(host, HostNames.instanceSide(p3.portId()));
        assertEquals("10.6.1.11/255.255.255.0 via 10.6.1.1 lease 3600", lab.dhcp(i3, HostNames.instanceSide(p3.portId())));
        long before = serverPid(stateDir, vpc, s1);
        Port p5 = new Port(names.id(), names.id(), "02:00:0a:06:01:1b", "10.6.1.11");
        apply.accept(network(vpc, new SubnetNetwork(s1, "10.6.1.0/24", "10.6.1.1", List.of(p1, p4, p5)), subnet2));
        assertEquals("02:00:0a:06:01:0a,10.6.1.10\n02:00:0a:06:01:0c,10.6.1.12\n02:00:0a:06:01:1b,10.6.1.11\n",
                Files.readString(hosts1), "the removed port's lease is gone");
        assertTrue(serverPid(stateDir, vpc, s1) != before, "restarted, forgetting the leases it held");
        String i5 = lab.bareInstance(host, HostNames.instanceSide(p5.portId()));
        NetnsLab.await(() -> lab.dhcp(i5, HostNames.instanceSide(p5.portId())) != null, java.time.Duration.ofSeconds(20),
                "a lease for the reused address");
        assertTrue(NetnsLab.run("ip", "-n", i5, "-4", "addr").contains("10.6.1.11/24"), "the reused address, new owner");

        // Subnet 2's last port leaves and a subnet 3 comes without ports: both have their servers (instances
        // come and go faster than a server starts).
        String s3 = names.id();
        apply.accept(network(vpc, new SubnetNetwork(s1, "10.6.1.0/24", "10.6.1.1", List.of(p1, p4, p5)),
                new SubnetNetwork(s2, "10.6.2.0/24", "10.6.2.1", List.of()),
                new SubnetNetwork(s3, "10.6.3.0/24", "10.6.3.1", List.of())));
        Set<Long> withEmptySubnets = pids(router);
        assertEquals(3, withEmptySubnets.size(), "a server per subnet, with ports or without: " + withEmptySubnets);
        assertEquals("", Files.readString(Path.of(stateDir, vpc, s2, "hosts")), "no lease left in subnet 2");
        NetnsLab.await(() -> localAddresses(NetnsLab.run("ip", "netns", "exec", router, "ss", "-Hlnup"))
                        .contains("0.0.0.0%" + HostNames.routerLeg(s3) + ":67"), java.time.Duration.ofSeconds(20),
                "the server of the subnet without ports listening on its leg");

        // Subnets deleted: their servers and directories are gone, the other subnet's server stays.
        long remaining = serverPid(stateDir, vpc, s1);
        apply.accept(network(vpc, new SubnetNetwork(s1, "10.6.1.0/24", "10.6.1.1", List.of(p1, p4, p5))));
        assertEquals(Set.of(remaining), pids(router), "the deleted subnets' servers stopped, the other untouched");
        assertFalse(Files.exists(Path.of(stateDir, vpc, s2)), "the deleted subnets' directories");
        assertFalse(Files.exists(Path.of(stateDir, vpc, s3)), "the deleted subnets' directories");

        // The VPC deleted: no server of it survives its router (it would keep the namespace alive).
        apply.accept(new HostNetwork(null, List.of()));
        withEmptySubnets.forEach(pid -> assertTrue(ProcessHandle.of(pid).isEmpty(), "server " + pid + " stopped"));
        assertFalse(Files.exists(Path.of(stateDir, vpc)), "the VPC's directory");
    }

    private static HostNetwork network(String vpc, SubnetNetwork... subnets) {
        return new HostNetwork(null, List.of(new VpcNetwork(vpc, "10.6.0.0/16", List.of(subnets), List.of(), null,
                List.of())));
    }

    /** The pid of a subnet's server, from its pid file. */
    private static long serverPid(String stateDir, String vpc, String subnet) throws IOException {
        return Long.parseLong(Files.readString(Path.of(stateDir, vpc, subnet, "pid")).strip());
    }

    /** The dnsmasq processes running in a namespace. */
    private static Set<Long> pids(String namespace) {
        Set<Long> pids = new TreeSet<>();
        for (String pid : NetnsLab.run("ip", "netns", "pids", namespace).lines().map(String::strip).toList()) {
            if (!pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).flatMap(p -> p.info().command())
                    .map(c -> c.endsWith("dnsmasq")).orElse(false)) {
                pids.add(Long.parseLong(pid));
            }
        }
        return pids;
    }

    private static Set<String> localAddresses(String ss) {
        Set<String> addresses = new TreeSet<>();
        Matcher socket = Pattern.compile("^\\S+\\s+\\d+\\s+\\d+\\s+(\\S+)", Pattern.MULTILINE).matcher(ss);
        while (socket.find()) {
            addresses.add(socket.group(1));
        }
        return addresses;
    }
}
