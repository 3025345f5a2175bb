package io.goncloud.api.spi.network;

import java.util.List;

/**
 * The whole desired firewall state of one host.
 *
 * @param ports every instance port with the rules of all its security groups, already resolved
 *              (a rule whose source is another group arrives as that group's member addresses)
 * @param subnetAcls every subnet's network ACL
 */
public record FirewallPolicy(List<PortPolicy> ports, List<SubnetAcl> subnetAcls) {

    public FirewallPolicy {
        ports = List.copyOf(ports);
        subnetAcls = List.copyOf(subnetAcls);
    }

    public enum Direction { INBOUND, OUTBOUND }

    /** {@code protocol} is {@code tcp}, {@code udp}, {@code icmp} or {@code all}; ports are inclusive. */
    public record Rule(Direction direction, String protocol, int fromPort, int toPort, List<String> cidrs) {
        public Rule {
            cidrs = List.copyOf(cidrs);
        }
    }

    /**
     * Allowed traffic of one port (on its {@link HostNames#portDevice}); everything else is dropped,
     * replies to allowed traffic pass.
     */
    public record PortPolicy(String portId, String ipAddress, List<Rule> rules) {
        public PortPolicy {
            rules = List.copyOf(rules);
        }
    }

    /** One numbered ACL entry; lower numbers are evaluated first, and an implicit deny ends the list. */
    public record AclEntry(int ruleNumber, Direction direction, String protocol, int fromPort, int toPort,
                           String cidr, boolean allow) {
    }

    /** @param vpcId the VPC whose router applies the ACL on the subnet's leg */
    public record SubnetAcl(String vpcId, String subnetId, String cidr, List<AclEntry> entries) {
        public SubnetAcl {
            entries = List.copyOf(entries);
        }
    }
}
