package io.goncloud.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * A block volume (EBS-like): storage that lives apart from any instance, in a worker's storage pool.
 *
 * @param sizeGib     its size in GiB
 * @param state       {@code creating}, {@code available}, {@code in-use}, {@code deleting}, {@code deleted} or
 *                    {@code error}
 * @param stateReason why it is in {@code error} (or was last moved), or {@code null}
 * @param snapshotId  the snapshot it was created from, or {@code null}
 * @param attachment  the instance it is attached to, or {@code null}
 */
public record Volume(String id, String name, int sizeGib, String state, String stateReason, String snapshotId,
                     Attachment attachment, Map<String, String> tags, String userId, Instant createdAt,
                     Instant updatedAt) {

    public Volume {
        tags = Map.copyOf(tags);
    }

    /**
     * @param state {@code attaching}, {@code attached} or {@code detaching}
     */
    public record Attachment(String instanceId, String device, String state) {
    }
}
