package io.goncloud.api.model;

import java.time.Instant;

/**
 * A tenant's isolated virtual network. Creating one also creates its main route table (with the
 * local route), its default security group and its default network ACL, whose ids are reported here.
 */
public record Vpc(String id, String name, String cidrBlock, String description, String state, String userId,
                  String mainRouteTableId, String defaultSecurityGroupId, String defaultNetworkAclId,
                  Instant createdAt, Instant updatedAt) {
}
