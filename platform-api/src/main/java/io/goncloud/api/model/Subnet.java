package io.goncloud.api.model;

import java.time.Instant;

/**
 * A range of a VPC's addresses in one availability zone.
 *
 * @param availableIpAddressCount addresses left for instances: the block size less the five
 *                                addresses every subnet reserves (network, gateway, two reserved,
 *                                broadcast) and less the addresses already allocated
 */
public record Subnet(String id, String vpcId, String name, String cidrBlock, String availabilityZone,
                     boolean isPublic, boolean mapPublicIpOnLaunch, long availableIpAddressCount,
                     String state, Instant createdAt, Instant updatedAt) {
}
