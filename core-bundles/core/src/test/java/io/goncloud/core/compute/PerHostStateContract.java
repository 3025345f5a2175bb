package io.goncloud.core.compute;

import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.PortPolicy;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.core.dataplane.NetworkStateServiceImpl;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each host's desired network state in a cloud of several hosts ("three servers"), against a real database:
 * the network host runs every router, the other hosts hold only their own ports' segments, joined by tunnels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PerHostStateContract {

    private static final HostNetwork.Provider PROVIDER =
            NetworkStateServiceImpl.provider("198.19.0.0/24", "gcp-provider", null);

    ComputeFixture f;
    Caller alice;
    String routerHost;
    String workerB;
    String workerC;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() {
        f = new ComputeFixture(kind(), "198.19.0.0/24");
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @BeforeEach
    void hosts() {
        alice = f.tenant("alice");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        routerHost = "net-" + tag;
        workerB = "b-" + tag;
        workerC = "c-" + tag;
    }

    private NetworkStateServiceImpl state() {
        return new NetworkStateServiceImpl(f.db, PROVIDER, routerHost, null, 1550);
    }

    /** Launches an instance on {@code host}: only that worker is up when it is placed. */
    private Instance launchOn(String host, String underlay, Subnet subnet) {
        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep(); // every other worker goes quiet: marked down
        f.heartbeat(host, underlay);
        Instance instance = f.instances.launch(alice, new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), null,
                null, null, null));
        f.takeSent();
        return instance;
    }

    private static Optional<VpcNetwork> vpc(HostNetwork network, Vpc vpc) {
        return network.vpcs().stream().filter(v -> v.vpcId().equals(vpc.id())).findFirst();
    }

    private static SubnetNetwork subnet(VpcNetwork vpc, Subnet subnet) {
        return vpc.subnets().stream().filter(s -> s.subnetId().equals(subnet.id())).findFirst()
                .orElseThrow(() -> new AssertionError("subnet " + subnet.id() + " missing from " + vpc));
    }

    private static List<String> portIds(SubnetNetwork subnet) {
        return subnet.ports().stream().map(Port::portId).toList();
    }

    private static List<String> remotePortIds(SubnetNetwork subnet) {
        return subnet.remotePorts().stream().map(Port::portId).toList();
    }

    private static Set<String> portIds(FirewallPolicy policy) {
        Set<String> ids = new HashSet<>();
        policy.ports().forEach(p -> ids.add(p.portId()));
        return ids;
    }

    @Test
    void theNetworkHostRunsEveryRouterAndHoldsEverySegmentWithOnlyItsOwnPorts() {
        Vpc vpc = f.vpc(alice);
        Subnet shared = f.subnet(alice, vpc, 1, false);
        Subnet publicOne = f.subnet(alice, vpc, 2, true);
        Subnet empty = f.subnet(alice, vpc, 3, false);
        Instance onRouter = launchOn(routerHost, "10.99.0.1", shared);
        Instance onB = launchOn(workerB, "10.99.0.2", shared);
        Instance publicOnB = launchOn(workerB, "10.99.0.2", publicOne);
        Instance onC = launchOn(workerC, "10.99.0.3", shared);

        HostNetwork network = state().desiredNetwork(routerHost);
        assertEquals(new HostNetwork.Overlay("10.99.0.1", 1550), network.overlay());
        assertEquals(PROVIDER, network.provider());
        VpcNetwork here = vpc(network, vpc).orElseThrow();
        assertTrue(here.routerHere());
        assertEquals(3, here.subnets().size(), "every subnet, with ports or not: " + here);
        assertEquals(List.of(onRouter.id()), portIds(subnet(here, shared)));
        assertEquals(List.of(), portIds(subnet(here, publicOne)));
        assertEquals(Set.of(onB.id(), onC.id()), Set.copyOf(remotePortIds(subnet(here, shared))),
                "the other hosts' instances get their DHCP leases from the router's host");
        assertEquals(List.of(publicOnB.id()), remotePortIds(subnet(here, publicOne)));
        assertEquals(List.of("10.99.0.2", "10.99.0.3"), subnet(here, shared).tunnelPeers());
        assertEquals(List.of("10.99.0.2"), subnet(here, publicOne).tunnelPeers());
        assertEquals(List.of(), subnet(here, empty).tunnelPeers());
        assertFalse(here.routes().isEmpty(), "the router's routes");
        assertEquals(List.of(new HostNetwork.PublicIpMapping(publicOnB.publicIp(), publicOnB.privateIp())),
                here.publicIps(), "public addresses are the router's, wherever the instance is");

        Set<Integer> vnis = new HashSet<>();
        for (SubnetNetwork s : here.subnets()) {
            assertTrue(s.vni() > 0, "a tunnel id for " + s);
            vnis.add(s.vni());
        }
        assertEquals(3, vnis.size(), "one tunnel id per subnet");

        FirewallPolicy firewall = state().desiredFirewall(routerHost);
        assertEquals(Set.of(onRouter.id()), portIds(firewall).stream()
                .filter(id -> Set.of(onRouter.id(), onB.id(), publicOnB.id(), onC.id()).contains(id))
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of(shared.id(), publicOne.id(), empty.id()), firewall.subnetAcls().stream()
                .filter(a -> a.vpcId().equals(vpc.id())).map(FirewallPolicy.SubnetAcl::subnetId)
                .collect(java.util.stream.Collectors.toSet()), "the network ACLs are enforced by the router");
    }

    @Test
    void aWorkerHoldsOnlyTheSegmentsOfItsPortsWithoutTheRouter() {
        Vpc vpc = f.vpc(alice);
        Vpc elsewhere = f.vpc(alice);
        Subnet shared = f.subnet(alice, vpc, 1, false);
        Subnet publicOne = f.subnet(alice, vpc, 2, true);
        Subnet notHere = f.subnet(alice, vpc, 3, false);
        Subnet otherVpc = f.subnet(alice, elsewhere, 1, false);
        Instance onRouter = launchOn(routerHost, "10.99.0.1", shared);
        Instance onB = launchOn(workerB, "10.99.0.2", shared);
        Instance publicOnB = launchOn(workerB, "10.99.0.2", publicOne);
        launchOn(workerC, "10.99.0.3", shared);
        launchOn(workerC, "10.99.0.3", notHere);
        launchOn(workerC, "10.99.0.3", otherVpc);

        HostNetwork network = state().desiredNetwork(workerB);
        assertEquals(new HostNetwork.Overlay("10.99.0.2", 1550), network.overlay());
        assertNull(network.provider(), "no router here, no uplink");
        assertTrue(vpc(network, elsewhere).isEmpty(), "a VPC without ports here is not here: " + network);
        VpcNetwork here = vpc(network, vpc).orElseThrow();
        assertFalse(here.routerHere());
        assertNull(here.uplinkAddress());
        assertEquals(List.of(), here.publicIps());
        assertEquals(List.of(), here.routes());
        assertEquals(Set.of(shared.id(), publicOne.id()),
                here.subnets().stream().map(SubnetNetwork::subnetId).collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of(onB.id()), portIds(subnet(here, shared)));
        assertEquals(List.of(publicOnB.id()), portIds(subnet(here, publicOne)));
        assertEquals(List.of(), remotePortIds(subnet(here, shared)), "a worker serves no DHCP for others");
        assertEquals(List.of("10.99.0.1", "10.99.0.3"), subnet(here, shared).tunnelPeers(),
                "the network host and the other worker holding the segment");
        assertEquals(List.of("10.99.0.1"), subnet(here, publicOne).tunnelPeers());

        VpcNetwork atRouter = vpc(state().desiredNetwork(routerHost), vpc).orElseThrow();
        assertEquals(subnet(atRouter, shared).vni(), subnet(here, shared).vni(), "one tunnel id on every host");

        FirewallPolicy firewall = state().desiredFirewall(workerB);
        assertEquals(Set.of(onB.id(), publicOnB.id()), portIds(firewall), "only the ports of this host");
        assertEquals(List.of(), firewall.subnetAcls(), "network ACLs are the router's");
        PortPolicy policy = firewall.ports().stream().filter(p -> p.portId().equals(onB.id())).findFirst().orElseThrow();
        assertTrue(policy.rules().stream().anyMatch(r -> r.cidrs().contains(onRouter.privateIp() + "/32")),
                "a group rule still names the group's members on other hosts: " + policy);
    }

    @Test
    void withoutUnderlayAddressesTheNetworkHostGetsTheSingleHostState() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, true);
        launchOn(routerHost, null, subnet);
        launchOn(routerHost, null, subnet);

        HostNetwork network = state().desiredNetwork(routerHost);
        assertNull(network.overlay(), "no tunnels");
        HostNetwork single = new NetworkStateServiceImpl(f.db, PROVIDER).desiredNetwork(routerHost);
        assertEquals(vpc(single, vpc).orElseThrow(), vpc(network, vpc).orElseThrow(),
                "exactly what one host got before there were several");
        assertEquals(0, subnet(vpc(network, vpc).orElseThrow(), subnet).vni());
    }

    @Test
    void aWorkerWithoutAnUnderlayAddressGetsNoTunnelsAndIsNobodysPeer() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        launchOn(routerHost, "10.99.0.1", subnet);
        launchOn(workerB, null, subnet);

        HostNetwork network = state().desiredNetwork(workerB);
        assertNull(network.overlay());
        SubnetNetwork atB = subnet(vpc(network, vpc).orElseThrow(), subnet);
        assertEquals(0, atB.vni());
        assertEquals(List.of(), atB.tunnelPeers());
        assertEquals(List.of(), subnet(vpc(state().desiredNetwork(routerHost), vpc).orElseThrow(), subnet).tunnelPeers());
    }

    @Test
    void aControllerWithoutHeartbeatsTakesItsUnderlayFromConfiguration() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        launchOn(workerB, "10.99.0.2", subnet);
        NetworkStateServiceImpl state = new NetworkStateServiceImpl(f.db, PROVIDER, routerHost, "10.99.0.9", 1500);

        assertEquals(List.of("10.99.0.9"), subnet(vpc(state.desiredNetwork(workerB), vpc).orElseThrow(), subnet)
                .tunnelPeers());
        HostNetwork atRouter = state.desiredNetwork(routerHost);
        assertEquals("10.99.0.9", atRouter.overlay().localAddress());
        assertEquals(List.of("10.99.0.2"), subnet(vpc(atRouter, vpc).orElseThrow(), subnet).tunnelPeers());
    }

    @Test
    void aHeartbeatRecordsTheUnderlayAddressAndIgnoresOneThatIsNotIpv4() {
        f.heartbeat(workerB, " 10.99.0.2 ");
        assertEquals("10.99.0.2", underlay(workerB));
        f.heartbeat(workerB, "not-an-address");
        assertNull(underlay(workerB), "a bad address is taken as none: no tunnels to it");
        f.heartbeat(workerB, "10.99.0.4");
        f.heartbeat(workerB, null);
        assertNull(underlay(workerB), "an older worker reports none");
    }

    @Test
    void subnetsGetDistinctTunnelIdsThatStayTheSame() {
        Vpc vpc = f.vpc(alice);
        Subnet first = f.subnet(alice, vpc, 1, false);
        Subnet second = f.subnet(alice, vpc, 2, false);
        launchOn(routerHost, "10.99.0.1", first);
        VpcNetwork before = vpc(state().desiredNetwork(routerHost), vpc).orElseThrow();
        Subnet third = f.subnet(alice, vpc, 3, false);
        VpcNetwork after = vpc(state().desiredNetwork(routerHost), vpc).orElseThrow();

        assertEquals(subnet(before, first).vni(), subnet(after, first).vni());
        assertEquals(subnet(before, second).vni(), subnet(after, second).vni());
        assertNotEquals(subnet(after, first).vni(), subnet(after, third).vni());
        assertNotEquals(subnet(after, second).vni(), subnet(after, third).vni());
    }

    private String underlay(String host) {
        return f.db.read(em -> (String) em.createNativeQuery("SELECT underlay_address FROM worker_nodes WHERE hostname = ?")
                .setParameter(1, host).getSingleResult());
    }
}
