package io.goncloud.driver.network.common.testing;

import static io.goncloud.driver.network.common.testing.NetnsLab.ping;
import static io.goncloud.driver.network.common.testing.NetnsLab.pingFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import io.goncloud.api.spi.network.NetworkDriver;
import io.goncloud.driver.network.common.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenarios of the VPC routers every network driver must pass, with real packets: a router knows where each
 * port of its subnets is (a permanent ARP entry, so an address reused by a new instance is reached at once,
 * not after the old entry fails); a change-driven pass ({@link NetworkDriver#applyChanges}) converges the
 * change, and a full pass ({@link NetworkDriver#apply}) repairs drift in every router.
 */
public final class RouterScenarios {

    private RouterScenarios() {
    }

    /** What a router's neighbour table says of one address. */
    public record Neighbour(String device, String mac, String state) {
    }

    /**
     * Routers hold a permanent neighbour entry for each port address, with the port's MAC; a port replaced by
     * another with the same address and another MAC moves the entry, and the new instance answers at once
     * where the old one had just been talked to; a removed port's entry is gone.
     */
    public static void routersKnowEveryPortsMacAndFollowAReusedAddress(NetnsLab lab, LabNames names, String host,
                                                                         NetworkDriver driver) {
        String vpc = lab.vpcId();
        String s1 = names.id();
        String s2 = names.id();
        Port first = new Port(names.id(), names.id(), "02:00:0a:08:01:0a", "10.8.1.10");
        Port leaving = new Port(names.id(), names.id(), "02:00:0a:08:01:0b", "10.8.1.11");
        Port peer = new Port(names.id(), names.id(), "02:00:0a:08:02:0a", "10.8.2.10");
        driver.apply(network(vpc, "10.8.0.0/16", new SubnetNetwork(s1, "10.8.1.0/24", "10.8.1.1", List.of(first, leaving)),
                new SubnetNetwork(s2, "10.8.2.0/24", "10.8.2.1", List.of(peer))));

        String router = HostNames.routerNamespace(vpc);
        String leg1 = HostNames.routerLeg(s1);
        assertEquals(new Neighbour(leg1, "02:00:0a:08:01:0a", "PERMANENT"), neighbours(router).get("10.8.1.10"));
        assertEquals(new Neighbour(leg1, "02:00:0a:08:01:0b", "PERMANENT"), neighbours(router).get("10.8.1.11"));
        assertEquals(new Neighbour(HostNames.routerLeg(s2), "02:00:0a:08:02:0a", "PERMANENT"),
                neighbours(router).get("10.8.2.10"));
        lab.instance(host, HostNames.instanceSide(first.portId()), "10.8.1.10/24", "10.8.1.1");
        String peerInstance = lab.instance(host, HostNames.instanceSide(peer.portId()), "10.8.2.10/24", "10.8.2.1");
        assertTrue(ping(peerInstance, "10.8.1.10"), "across the router to the first owner of the address");

        // The first instance goes, a new one comes with its address (another MAC); the other port goes.
        Port second = new Port(names.id(), names.id(), "02:00:0a:08:01:fe", "10.8.1.10");
        driver.apply(network(vpc, "10.8.0.0/16", new SubnetNetwork(s1, "10.8.1.0/24", "10.8.1.1", List.of(second)),
                new SubnetNetwork(s2, "10.8.2.0/24", "10.8.2.1", List.of(peer))));

        Map<String, Neighbour> after = neighbours(router);
        assertEquals(new Neighbour(leg1, "02:00:0a:08:01:fe", "PERMANENT"), after.get("10.8.1.10"),
                "the entry follows the address to its new port: " + after);
        assertFalse(after.containsKey("10.8.1.11"), "the removed port's entry is gone: " + after);
        lab.instance(host, HostNames.instanceSide(second.portId()), "10.8.1.10/24", "10.8.1.1");
        assertTrue(ping(peerInstance, "10.8.1.10"),
                "the new owner of the address answers at once, not once the router's old entry has failed");
    }

    /**
     * A change-driven pass converges the change (a new port in VPC A: its device, the router's entry for it,
     * traffic); a full pass afterwards repairs drift in VPC B's router, which no change touched.
     */
    public static void changesConvergeAndAFullPassRepairsEveryRouter(NetnsLab lab, LabNames names, String host,
                                                                     NetworkDriver driver) {
        String vpcA = lab.vpcId();
        String vpcB = lab.vpcId();
        String subnetA = names.id();
        String subnetB = names.id();
        Port a1 = new Port(names.id(), names.id(), "02:00:0a:09:01:0a", "10.9.1.10");
        Port a2 = new Port(names.id(), names.id(), "02:00:0a:09:01:0b", "10.9.1.11");
        Port b1 = new Port(names.id(), names.id(), "02:00:0a:0a:01:0a", "10.10.1.10");
        VpcNetwork b = new VpcNetwork(vpcB, "10.10.0.0/16",
                List.of(new SubnetNetwork(subnetB, "10.10.1.0/24", "10.10.1.1", List.of(b1))), List.of(), null, List.of());
        driver.apply(new HostNetwork(null, List.of(vpcA(vpcA, subnetA, a1), b)));
        String instanceA1 = lab.instance(host, HostNames.instanceSide(a1.portId()), "10.9.1.10/24", "10.9.1.1");
        String instanceB1 = lab.instance(host, HostNames.instanceSide(b1.portId()), "10.10.1.10/24", "10.10.1.1");
        assertTrue(ping(instanceB1, "10.10.1.1"), "B's instance reaches its gateway");

        // Drift in B's router: its leg lost the gateway address.
        String routerB = HostNames.routerNamespace(vpcB);
        NetnsLab.sh("ip", "-n", routerB, "addr", "flush", "dev", HostNames.routerLeg(subnetB));
        assertTrue(pingFails(instanceB1, "10.10.1.1"), "drift: B's gateway is gone");

        // A change in A: one more port.
        HostNetwork withA2 = new HostNetwork(null, List.of(vpcA(vpcA, subnetA, a1, a2), b));
        AppliedNetwork applied = driver.applyChanges(withA2);
        assertEquals(HostNames.instanceSide(a2.portId()), applied.portDevices().get(a2.portId()),
                "the new port's device, for the compute driver");
        assertTrue(NetnsLab.exec(List.of("ip", "-n", host, "link", "show", HostNames.instanceSide(a2.portId()))).ok(),
                "the new port's device exists");
        assertEquals(new Neighbour(HostNames.routerLeg(subnetA), "02:00:0a:09:01:0b", "PERMANENT"),
                neighbours(HostNames.routerNamespace(vpcA)).get("10.9.1.11"), "A's router knows the new port");
        String instanceA2 = lab.instance(host, HostNames.instanceSide(a2.portId()), "10.9.1.11/24", "10.9.1.1");
        assertTrue(ping(instanceA2, "10.9.1.1"), "the new instance reaches its gateway");
        assertTrue(ping(instanceA2, "10.9.1.10"), "and its neighbour");
        assertTrue(ping(instanceA1, "10.9.1.11"), "and is reached");

        // The full pass reads every router and repairs B.
        driver.apply(withA2);
        assertTrue(ping(instanceB1, "10.10.1.1"), "a full pass restored B's gateway address");
        assertTrue(ping(instanceA2, "10.9.1.10"), "A is as it was");
    }

    private static VpcNetwork vpcA(String vpc, String subnet, Port... ports) {
        return new VpcNetwork(vpc, "10.9.0.0/16", List.of(new SubnetNetwork(subnet, "10.9.1.0/24", "10.9.1.1",
                List.of(ports))), List.of(), null, List.of());
    }

    private static HostNetwork network(String vpc, String cidr, SubnetNetwork... subnets) {
        return new HostNetwork(null, List.of(new VpcNetwork(vpc, cidr, List.of(subnets), List.of(), null, List.of())));
    }

    /** The IPv4 neighbour table of a namespace, by address (state: the first the kernel lists). */
    public static Map<String, Neighbour> neighbours(String namespace) {
        Map<String, Neighbour> table = new LinkedHashMap<>();
        String json = NetnsLab.sh("ip", "-4", "-j", "-n", namespace, "neigh", "show");
        List<Object> answer = Json.parseAll(json);
        for (Map<String, Object> entry : Json.objects(answer.isEmpty() ? null : answer.get(0))) {
            Object states = entry.get("state");
            String state = states instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0)) : "";
            table.put(String.valueOf(entry.get("dst")),
                    new Neighbour(String.valueOf(entry.get("dev")), String.valueOf(entry.get("lladdr")), state));
        }
        return table;
    }
}
