package io.goncloud.driver.ovs;

import static io.goncloud.driver.ovs.Lab.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.driver.network.common.testing.FirewallScenarios;
import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.nftables.NftablesFirewallDriver;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security groups and network ACLs of the unchanged nftables firewall driver on ports and routers of this
 * driver, with real packets ({@link FirewallScenarios}, shared with the firewall's own tests on a
 * Linux-bridge layout): the hybrid plug puts every port device on a Linux bridge of its own, where the
 * firewall filters and tracks connections as on the Linux-bridge driver's subnet bridges; the ACLs live in
 * the same routers. Needs root, iproute2, nftables, openvswitch-switch, ping, socat, conntrack, and for
 * DHCP dnsmasq and busybox.
 */
class OvsWithNftablesFirewallTest extends FirewallScenarios {

    /** Ports' MACs, so that the routers' DHCP servers have leases for them. */
    private static final String MAC_A = "02:00:0a:05:01:0a";

    private OvsDaemons ovs;
    private OvsNetworkDriver network;
    private HostNetwork desired;

    @BeforeAll
    static void requireNamespacesAndOvs() {
        Lab.NAMES.assumeNamespacesWork();
        assumeTrue(OvsDaemons.installed(), "needs Open vSwitch (apt-get install openvswitch-switch)");
        Lab.removeLeftovers();
    }

    @Override
    protected LabNames names() {
        return Lab.NAMES;
    }

    @Override
    protected void buildWorker() {
        Lab lab = new Lab();
        this.lab = lab;
        ovs = lab.host();
        host = ovs.host;
        // Off for the whole namespace: bridged conntrack must come from the per-port bridges' own setting.
        sh("ip", "netns", "exec", host, "sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=0");
        vpcId = lab.vpcId();
        network = new OvsNetworkDriver(host, "netdev", ovs.remote(), lab.dhcpStateDir());
        desired = new HostNetwork(null, List.of(new VpcNetwork(vpcId, "10.5.0.0/16",
                List.of(new SubnetNetwork(subnet1, "10.5.1.0/24", "10.5.1.1", List.of(
                                new Port(portA, Lab.NAMES.id(), MAC_A, A), hostPort(portB, B))),
                        new SubnetNetwork(subnet2, "10.5.2.0/24", "10.5.2.1", List.of(hostPort(portC, C)))),
                List.of(), null, List.of())));
        network.apply(desired);
        instanceB = lab.instance(host, HostNames.instanceSide(portB), B + "/24", "10.5.1.1");
        instanceC = lab.instance(host, HostNames.instanceSide(portC), C + "/24", "10.5.2.1");
        // a boots with DHCP when a scenario needs it to; the others have static addresses.
        instanceA = lab.bareInstance(host, HostNames.instanceSide(portA));
        Lab.sh("ip", "-n", instanceA, "addr", "add", A + "/24", "dev", HostNames.instanceSide(portA));
        Lab.sh("ip", "-n", instanceA, "route", "add", "default", "via", "10.5.1.1");
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

    @Override
    protected int trackedEntriesPerFlow() {
        return 2; // the sender's and the receiver's port bridges
    }

    @Test
    void dhcpPassesTheSecurityGroupsOfAPortThatAllowsNothingAndInstancesServeNoDhcp() {
        PortPolicy closed = port(portA, A);
        PortPolicy rogue = port(portB, B, in("all", 0, 65535, ANYWHERE), out("all", 0, 65535, ANYWHERE));
        firewall.apply(policy(List.of(closed, rogue, port(portC, C)), openAcls()));
        String device = HostNames.instanceSide(portA);
        Lab.sh("ip", "-n", instanceA, "addr", "flush", "dev", device);

        assertEquals(A + "/255.255.255.0 via 10.5.1.1 lease 3600", lab.dhcp(instanceA, device),
                "the lease though a's groups allow no traffic at all");
        Lab.sh("ip", "-n", instanceA, "addr", "flush", "dev", device);
        // b answers DHCP on its segment: its answers must not reach a, which then gets no lease from b.
        // (The router's server is stopped for that: a network without a's MAC.)
        network.apply(new HostNetwork(null, List.of(new VpcNetwork(vpcId, "10.5.0.0/16",
                List.of(new SubnetNetwork(subnet1, "10.5.1.0/24", "10.5.1.1", List.of(hostPort(portA, A), hostPort(portB, B))),
                        new SubnetNetwork(subnet2, "10.5.2.0/24", "10.5.2.1", List.of(hostPort(portC, C)))),
                List.of(), null, List.of()))));
        Path hosts = Path.of(System.getProperty("java.io.tmpdir"), Lab.NAMES.prefix() + LabNames.PID + "-rogue-hosts");
        try {
            Files.writeString(hosts, MAC_A + ",10.5.1.99\n");
            lab.daemon(instanceB, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
                    "--dhcp-range=10.5.1.0,static,255.255.255.0,1h", "--dhcp-hostsfile=" + hosts, "--leasefile-ro",
                    "--pid-file=");
            Lab.await(() -> !Lab.run("ip", "netns", "exec", instanceB, "ss", "-Hlun", "sport = :67").isBlank(),
                    Duration.ofSeconds(5), "the rogue DHCP server");
            assertNull(lab.dhcp(instanceA, device), "no lease from another instance");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            hosts.toFile().delete();
        }
    }

    @Test
    void aTransferBetweenAllowedInstancesIsNotSlowedToAStallByTheFirewall() throws Exception {
        PortPolicy a = port(portA, A, out("all", 0, 65535, ANYWHERE));
        PortPolicy b = port(portB, B, in("tcp", 5001, 5001, A + "/32"));
        firewall.apply(policy(List.of(a, b), openAcls()));
        Duration took = lab.transfer(instanceA, instanceB, B, 5001, 8 << 20, Duration.ofSeconds(15));
        System.out.printf("8 MiB over TCP through OVS and the firewall: %d ms%n", took.toMillis());
    }

    // --- the platform's side, reduced to what the tests need

    private static Port hostPort(String id, String address) {
        return new Port(id, Lab.NAMES.id(), null, address);
    }
}
