package io.goncloud.driver.nftables;

import static io.goncloud.driver.nftables.Lab.sh;

import io.goncloud.api.spi.network.HostNames;

/**
 * A worker host built by hand the way a network driver lays it out (see HostNames): one VPC router
 * namespace, subnets as bridges with a router leg each, ports as veth pairs whose instance side lives in
 * an "instance" namespace. The firewall driver then only has to find the names.
 */
final class Worker {

    final Lab lab;
    final String host;
    final String vpcId;
    final String router;

    Worker(Lab lab) {
        this.lab = lab;
        host = lab.namespace("host");
        // Off for the whole namespace: the driver must enable bridged conntrack per subnet bridge itself.
        sh("ip", "netns", "exec", host, "sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=0");
        vpcId = lab.vpcId();
        router = lab.router(vpcId, host);
    }

    /** A subnet: its bridge, and the router's leg on it holding {@code gateway}/24. */
    void subnet(String subnetId, String gateway) {
        String bridge = HostNames.subnetBridge(subnetId);
        String bridgeLeg = HostNames.routerBridgeLeg(subnetId);
        String leg = HostNames.routerLeg(subnetId);
        sh("ip", "-n", host, "link", "add", bridge, "type", "bridge");
        sh("ip", "-n", host, "link", "set", bridge, "up");
        sh("ip", "-n", host, "link", "add", bridgeLeg, "type", "veth", "peer", "name", leg, "netns", router);
        sh("ip", "-n", host, "link", "set", bridgeLeg, "master", bridge, "up");
        sh("ip", "-n", router, "addr", "add", gateway + "/24", "dev", leg);
        sh("ip", "-n", router, "link", "set", leg, "up");
    }

    /** A port on the subnet's bridge and the instance namespace behind it; returns the instance. */
    String instance(String portId, String subnetId, String address, String gateway) {
        String device = HostNames.portDevice(portId);
        String instanceSide = HostNames.instanceSide(portId);
        sh("ip", "-n", host, "link", "add", device, "type", "veth", "peer", "name", instanceSide);
        sh("ip", "-n", host, "link", "set", device, "master", HostNames.subnetBridge(subnetId), "up");
        return lab.instance(host, instanceSide, address + "/24", gateway);
    }
}
