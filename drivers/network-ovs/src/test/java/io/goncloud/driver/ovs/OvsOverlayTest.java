package io.goncloud.driver.ovs;

import static io.goncloud.driver.network.common.testing.NetnsLab.ping;
import static io.goncloud.driver.network.common.testing.NetnsLab.sh;
import static io.goncloud.driver.network.common.testing.OverlayLab.pingUnfragmented;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.OverlayScenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The overlay scenarios every network driver must pass ({@link OverlayScenarios}) with this driver: each host
 * runs its own Open vSwitch (userspace datapath), the tunnel is a kernel VXLAN device on the subnet's OVS bridge.
 * And an OVS host shares a segment with a host of plain kernel bridges. Names of its own ({@code gcpow<pid>-...},
 * ids {@code ...-0a7f-4000-8000-<pid>}).
 */
class OvsOverlayTest extends OverlayScenarios<OvsDriverHost> {

    static final LabNames NAMES = new LabNames("gcpow", "0a7f");

    OvsOverlayTest() {
        super(NAMES, new OvsFactory());
    }

    @Test
    void anOvsHostSharesASegmentWithAPlainKernelVxlanBridge() {
        OvsDriverHost hostA = host(A);
        String hostB = lab.host(B); // no driver: host B is built by hand
        String vpc = lab.vpcId();
        String s1 = id();
        Port a1 = port("10.79.1.10");
        hostA.driver().apply(network(A, vpc(vpc, true, subnet(s1, "10.79.1.0/24", 7001, B, a1))));
        String iA1 = instance(hostA, a1, "10.79.1.1");
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
}
