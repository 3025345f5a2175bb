package io.goncloud.api.model;

import java.time.Instant;

/**
 * A point-in-time copy of a volume's data (crash-consistent when the volume is in use). It outlives its volume; a
 * new volume can be created from it.
 *
 * @param volumeId      the volume it was taken of (which may since have been deleted)
 * @param volumeSizeGib the volume's size when the snapshot was taken: the least a volume made from it can have
 * @param state         {@code pending}, {@code completed}, {@code deleting} or {@code error}
 * @param stateReason   why it is in {@code error}, or {@code null}
 */
public record Snapshot(String id, String volumeId, int volumeSizeGib, String description, String state,
                       String stateReason, String userId, Instant createdAt, Instant updatedAt) {
}
