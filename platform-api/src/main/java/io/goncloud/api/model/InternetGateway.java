package io.goncloud.api.model;

import java.time.Instant;

/**
 * A tenant's internet gateway: attached to at most one VPC, and a VPC has at most one.
 *
 * @param vpcId the VPC it is attached to, or {@code null}
 * @param state {@code attached} or {@code detached}
 */
public record InternetGateway(String id, String name, String vpcId, String state, String userId,
                              Instant createdAt, Instant updatedAt) {
}
