package io.goncloud.core.dataplane;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where the routers run and how hosts reach each other's segments: keys of configuration PID
 * {@code io.goncloud.cluster} (whose metatype {@code ClusterConfig} designates; bnd allows one designation per PID).
 */
@ObjectClassDefinition(name = "GCP network host")
public @interface NetworkHostConfig {

    @AttributeDefinition(description = "Host id of the network host, which runs every VPC's router (routing, DHCP, "
            + "NAT, public addresses, network ACLs); other hosts hold only their instances' segments. Empty: this "
            + "controller's own host (host.id of io.goncloud.agent, else its host name), as in the all-in-one")
    String network_host() default "";

    @AttributeDefinition(description = "The network host's underlay address, where workers' tunnels end, when it "
            + "sends no heartbeat of its own (a controller that runs no instances). Empty: from its heartbeat")
    String network_host_underlay_address() default "";

    @AttributeDefinition(description = "MTU of the underlay between hosts; segments spanning hosts carry 50 bytes "
            + "less (VXLAN)", min = "1280")
    int underlay_mtu() default 1500;
}
