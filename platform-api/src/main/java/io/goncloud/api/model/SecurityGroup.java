package io.goncloud.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A stateful instance firewall in one VPC. A new group allows no inbound traffic and all outbound
 * traffic; the VPC's default group also allows inbound traffic from its own members.
 *
 * @param isDefault whether this is the VPC's default group (it cannot be deleted)
 */
public record SecurityGroup(String id, String vpcId, String name, String description, String userId,
                            boolean isDefault, List<SecurityGroupRule> rules, Instant createdAt,
                            Instant updatedAt) {

    public SecurityGroup {
        rules = List.copyOf(rules);
    }
}
