package io.goncloud.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A stateless subnet firewall of a VPC. Every subnet uses exactly one ACL: the VPC's default ACL (made
 * with it, allowing everything) unless it was associated with another.
 *
 * @param isDefault whether this is the VPC's default ACL (it cannot be deleted)
 * @param entries   inbound entries, then outbound, each in rule-number order
 * @param subnetIds every subnet that uses this ACL (for the default ACL, the subnets not associated
 *                  with another)
 */
public record NetworkAcl(String id, String vpcId, String name, boolean isDefault, List<NetworkAclEntry> entries,
                         List<String> subnetIds, Instant createdAt, Instant updatedAt) {

    public NetworkAcl {
        entries = List.copyOf(entries);
        subnetIds = List.copyOf(subnetIds);
    }
}
