package io.goncloud.api.model;

import java.time.Instant;

/**
 * A public address of the operator's pool allocated to a tenant until released.
 *
 * @param address    the public IPv4 address
 * @param instanceId the instance it is associated with (one-to-one NAT to its private address), or {@code null}
 */
public record ElasticIp(String id, String address, String instanceId, String userId, Instant createdAt) {
}
