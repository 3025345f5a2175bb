package io.goncloud.api.spi.network;

import java.util.List;

/**
 * The whole desired network state of one host.
 *
 * <p>In a cloud of several hosts, one host (the network host) runs every VPC's router: routing between
 * subnets, DHCP, NAT, public addresses and network ACLs. Every host joins the L2 segment of each subnet it
 * has ports of (or routes) to the same segment on the other hosts through a tunnel ({@link Overlay},
 * {@link SubnetNetwork#vni()}); security groups are enforced at each port, on the port's own host.
 *
 * @param provider the outside network that internet gateways and public addresses use, or {@code null}
 *                 when this host has none (then no VPC on it reaches outside)
 * @param vpcs     every VPC with at least one port or router on this host
 * @param overlay  how this host reaches other hosts' segments, or {@code null} for a single host (no tunnels)
 */
public record HostNetwork(Provider provider, List<VpcNetwork> vpcs, Overlay overlay) {

    public HostNetwork {
        vpcs = List.copyOf(vpcs);
    }

    /** A single host's network: no tunnels. */
    public HostNetwork(Provider provider, List<VpcNetwork> vpcs) {
        this(provider, vpcs, null);
    }

    /**
     * The underlay that carries tunnels between hosts (VXLAN for the Linux-bridge driver, OVS tunnels
     * for Open vSwitch; unicast only, UDP port 4789).
     *
     * @param localAddress this host's IPv4 address on the underlay, the tunnels' local end
     * @param underlayMtu  the underlay's MTU; segments carry {@code underlayMtu - }{@value #OVERHEAD}
     *                     bytes (on a host with an overlay, every segment, so that nothing changes when a subnet
     *                     starts to span hosts), and instances learn that MTU (DHCP option 26)
     */
    public record Overlay(String localAddress, int underlayMtu) {
        /** VXLAN over IPv4: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
        public static final int OVERHEAD = 50;

        public int segmentMtu() {
            return underlayMtu - OVERHEAD;
        }
    }

    /**
     * The operator's outside network (see {@link HostNames} for how routers attach to it).
     *
     * @param bridge  the host bridge standing for the outside; the operator connects it to the uplink
     * @param cidr    its block, e.g. {@code 203.0.113.0/24}: routers' uplink and public addresses come from it
     * @param gateway the next hop to the internet on it
     */
    public record Provider(String bridge, String cidr, String gateway) {
    }

    /**
     * @param vpcId          the platform's VPC id
     * @param cidr           the VPC's block
     * @param subnets        its subnets present on this host
     * @param routes         the routes of each subnet's route table (the local route included)
     * @param uplinkAddress  the router's own address on the provider network, used for outbound NAT;
     *                       {@code null} when no internet gateway is attached
     * @param publicIps      one-to-one NAT mappings for instances with public addresses
     * @param routerHere     whether this host runs the VPC's router (routing, DHCP, NAT, public addresses, ACLs);
     *                       when false the host holds only the VPC's segments and its own ports
     */
    public record VpcNetwork(String vpcId, String cidr, List<SubnetNetwork> subnets, List<Route> routes,
                             String uplinkAddress, List<PublicIpMapping> publicIps, boolean routerHere) {
        public VpcNetwork {
            subnets = List.copyOf(subnets);
            routes = List.copyOf(routes);
            publicIps = List.copyOf(publicIps);
        }

        /** A VPC whose router is on this host. */
        public VpcNetwork(String vpcId, String cidr, List<SubnetNetwork> subnets, List<Route> routes,
                          String uplinkAddress, List<PublicIpMapping> publicIps) {
            this(vpcId, cidr, subnets, routes, uplinkAddress, publicIps, true);
        }

        public boolean internetAttached() {
            return uplinkAddress != null;
        }
    }

    /**
     * @param gateway     the router's address in the subnet (network + 1)
     * @param ports       instance ports in this subnet on this host: each gets its device here
     * @param vni         the segment's tunnel id (VXLAN network identifier, 1 to 16777215), unique in the cloud
     *                    (one host takes one segment per VNI; a second is logged and gets no tunnel);
     *                    0 when the segment does not span hosts
     * @param tunnelPeers underlay addresses of the other hosts holding this segment (this host's own address is
     *                    ignored); empty: no tunnel. The network host is a peer of every segment of a VPC whose
     *                    instances need their gateway, DHCP or NAT, i.e. of every spanning segment
     * @param remotePorts the subnet's instance ports on other hosts, listed only for the host running the VPC's
     *                    router: its DHCP server leases their addresses too (they reach it through the tunnels);
     *                    no device is made for them here
     */
    public record SubnetNetwork(String subnetId, String cidr, String gateway, List<Port> ports, int vni,
                                List<String> tunnelPeers, List<Port> remotePorts) {
        public SubnetNetwork {
            ports = List.copyOf(ports);
            tunnelPeers = List.copyOf(tunnelPeers);
            remotePorts = List.copyOf(remotePorts);
            if (vni < 0 || vni > 0xFFFFFF) {
                throw new IllegalArgumentException("vni must be 0 to 16777215, not " + vni);
            }
        }

        /** A segment whose instances are all on the hosts it spans, none served from elsewhere. */
        public SubnetNetwork(String subnetId, String cidr, String gateway, List<Port> ports, int vni,
                             List<String> tunnelPeers) {
            this(subnetId, cidr, gateway, ports, vni, tunnelPeers, List.of());
        }

        /** A segment on this host only. */
        public SubnetNetwork(String subnetId, String cidr, String gateway, List<Port> ports) {
            this(subnetId, cidr, gateway, ports, 0, List.of());
        }

        /** Whether the segment reaches other hosts through a tunnel. */
        public boolean spansHosts() {
            return vni > 0 && !tunnelPeers.isEmpty();
        }
    }

    /** @param portId the platform's id for the NIC (stable across restarts) */
    public record Port(String portId, String instanceId, String macAddress, String ipAddress) {
    }

    /**
     * One route of the route table a subnet uses.
     *
     * @param subnetId   the subnet whose traffic the route steers
     * @param targetType {@code local}, {@code igw}, {@code nat} or {@code instance}
     * @param nextHop    for {@code instance} targets, the instance's private address; otherwise {@code null}
     */
    public record Route(String subnetId, String destinationCidr, String targetType, String targetId,
                        String nextHop) {
    }

    public record PublicIpMapping(String publicIp, String privateIp) {
    }
}
