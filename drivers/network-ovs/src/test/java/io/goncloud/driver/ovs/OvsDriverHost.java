package io.goncloud.driver.ovs;

import static io.goncloud.driver.network.common.testing.NetnsLab.sh;

import io.goncloud.api.spi.network.HostNames;
import io.goncloud.driver.network.common.testing.DriverHost;
import io.goncloud.driver.network.common.testing.NetnsLab;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A fake host with its own Open vSwitch ({@link OvsDaemons}) and this driver managing it: bridges are OVS bridges
 * (userspace datapath), a port is hybrid-plugged (its device and a tap on a Linux bridge of its own), and the
 * switch's rows are state a pass could change.
 */
final class OvsDriverHost extends DriverHost {

    final OvsDaemons ovs;

    OvsDriverHost(OvsDaemons ovs, String dhcpStateDir) {
        super(ovs.host, new OvsNetworkDriver(ovs.host, "netdev", ovs.remote(), dhcpStateDir), dhcpStateDir);
        this.ovs = ovs;
    }

    @Override
    public void addBridge(String name) {
        ovs.vsctl("add-br", name, "--", "set", "bridge", name, "datapath_type=netdev");
    }

    @Override
    public void plug(String bridge, String device) {
        ovs.vsctl("add-port", bridge, device);
    }

    @Override
    public void deleteBridge(String name) {
        ovs.vsctl("del-br", name);
    }

    @Override
    public Set<String> bridges() {
        return ovs.vsctl("list-br").lines().collect(Collectors.toSet());
    }

    @Override
    public String bridgeOf(String device) {
        NetnsLab.Result bridge = NetnsLab.exec(List.of("ovs-vsctl", "--db=" + ovs.remote(), "port-to-br", device));
        return bridge.ok() ? bridge.out().strip() : null;
    }

    @Override
    public List<String> portDevices(String portId) {
        return List.of(HostNames.portDevice(portId), OvsNames.portBridge(portId), OvsNames.portTap(portId));
    }

    /** Bridges' and interfaces' rows, with their ids: a recreated row shows. */
    @Override
    public String switchState() {
        return sorted(ovs.vsctl("--columns=_uuid,name,datapath_type", "list", "Bridge"))
                + sorted(ovs.vsctl("--columns=_uuid,name,type,external_ids,ofport", "list", "Interface"));
    }

    private static String sorted(String text) {
        return text.lines().sorted().collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * An "internet" namespace plugged into {@code bridge}, an OVS bridge of this host, holding
     * {@code addressWithPrefix} (the provider gateway).
     */
    String internet(NetnsLab lab, String bridge, String addressWithPrefix) {
        String internet = lab.namespace("inet");
        String port = "inet-" + bridge;
        sh("ip", "-n", namespace(), "link", "add", port, "type", "veth", "peer", "name", "wan0", "netns", internet);
        sh("ip", "-n", namespace(), "link", "set", port, "up");
        plug(bridge, port);
        sh("ip", "-n", internet, "addr", "add", addressWithPrefix, "dev", "wan0");
        sh("ip", "-n", internet, "link", "set", "wan0", "up");
        return internet;
    }
}
