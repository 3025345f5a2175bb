package io.goncloud.api.spi.network;

import java.util.List;

/**
 * The whole desired network state of one host.
 *
 * @param vpcs  every VPC with at least one port or router on this host
 */
public record HostNetwork(List<VpcNetwork> vpcs) {

    public HostNetwork {
        vpcs = List.copyOf(vpcs);
    }

    /**
     * @param vpcId    the platform's VPC id
     * @param cidr     the VPC's block
     * @param subnets  its subnets present on this host
     * @param routes   the routes of each subnet's route table
     * @param publicIps one-to-one NAT mappings for instances with public addresses
     * @param internetAttached whether an internet gateway is attached
     */
    public record VpcNetwork(String vpcId, String cidr, List<SubnetNetwork> subnets, List<Route> routes,
                             List<PublicIpMapping> publicIps, boolean internetAttached) {
        public VpcNetwork {
            subnets = List.copyOf(subnets);
            routes = List.copyOf(routes);
            publicIps = List.copyOf(publicIps);
        }
    }

    /** @param ports instance ports in this subnet on this host */
    public record SubnetNetwork(String subnetId, String cidr, String gateway, List<Port> ports) {
        public SubnetNetwork {
            ports = List.copyOf(ports);
        }
    }

    /** @param portId the platform's id for the NIC (stable across restarts) */
    public record Port(String portId, String instanceId, String macAddress, String ipAddress) {
    }

    /**
     * @param subnetId   the subnet whose route table holds the route
     * @param targetType {@code local}, {@code igw}, {@code nat} or {@code instance}
     */
    public record Route(String subnetId, String destinationCidr, String targetType, String targetId) {
    }

    public record PublicIpMapping(String publicIp, String privateIp) {
    }
}
