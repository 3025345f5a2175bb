package io.goncloud.api.service;

import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;

/**
 * The desired network state of a host, derived from the database: what the host's network agent
 * converges the kernel to through the network and firewall drivers.
 */
public interface NetworkStateService {

    /** Everything the host's network driver must have in place: VPC routers, subnets, ports, routes, NAT. */
    HostNetwork desiredNetwork(String hostId);

    /** Everything the host's firewall driver must enforce: security groups per port, ACLs per subnet. */
    FirewallPolicy desiredFirewall(String hostId);
}
