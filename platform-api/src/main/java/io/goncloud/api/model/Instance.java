package io.goncloud.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A virtual machine or container a tenant launched.
 *
 * @param state        one of {@link InstanceState}'s values, e.g. {@code pending}, {@code running}
 * @param stateReason  why the instance is in its state when that is worth saying (a failed launch, an
 *                     instance stopped outside the platform, a worker that stopped answering), or {@code null}
 * @param workerNodeId the worker it was placed on, or {@code null} before placement and after termination
 */
public record Instance(String id, String name, String instanceType, String imageId, String vpcId, String subnetId,
                       String privateIp, String publicIp, String state, String stateReason, String workerNodeId,
                       String keyName, List<String> securityGroupIds, Map<String, String> tags, Instant createdAt,
                       Instant updatedAt) {

    public Instance {
        securityGroupIds = List.copyOf(securityGroupIds);
        tags = Map.copyOf(tags);
    }
}
