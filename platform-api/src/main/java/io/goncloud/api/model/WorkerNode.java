package io.goncloud.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A host that runs instances, as its agent last reported it.
 *
 * @param state            {@code up}, {@code down} (no heartbeat for too long) or {@code draining} (the
 *                         operator keeps new instances off it)
 * @param cpuTotal         vCPUs it offers (its cores times the operator's allocation ratio)
 * @param capabilities     what its drivers can do, e.g. {@code compute:docker}, {@code image-format:docker-rootfs}
 * @param instanceCount    non-terminated instances placed on it
 */
public record WorkerNode(String id, String hostname, String address, String state, int cpuTotal,
                         int memoryTotalMib, int diskTotalGib, int cpuAllocated, int memoryAllocatedMib,
                         List<String> capabilities, long instanceCount, Instant lastHeartbeatAt, Instant createdAt) {

    public WorkerNode {
        capabilities = List.copyOf(capabilities);
    }
}
