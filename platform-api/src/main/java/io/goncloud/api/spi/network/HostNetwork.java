package io.goncloud.api.spi.network;

import java.util.List;

/**
 * The whole desired network state of one host.
 *
 * @param provider the outside network that internet gateways and public addresses use, or {@code null}
 *                 when this host has none (then no VPC on it reaches outside)
 * @param vpcs     every VPC with at least one port or router on this host
 */
public record HostNetwork(Provider provider, List<VpcNetwork> vpcs) {

    public HostNetwork {
        vpcs = List.copyOf(vpcs);
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
     */
    public record VpcNetwork(String vpcId, String cidr, List<SubnetNetwork> subnets, List<Route> routes,
                             String uplinkAddress, List<PublicIpMapping> publicIps) {
        public VpcNetwork {
            subnets = List.copyOf(subnets);
            routes = List.copyOf(routes);
            publicIps = List.copyOf(publicIps);
        }

        public boolean internetAttached() {
            return uplinkAddress != null;
        }
    }

    /**
     * @param gateway the router's address in the subnet (network + 1)
     * @param ports   instance ports in this subnet on this host
     */
    public record SubnetNetwork(String subnetId, String cidr, String gateway, List<Port> ports) {
        public SubnetNetwork {
            ports = List.copyOf(ports);
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
