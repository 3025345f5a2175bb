package io.goncloud.api.spi.storage;

/**
 * A snapshot as the host has it.
 *
 * @param snapshotId the platform's id
 * @param pool       the pool holding it (volumes made from it are created there)
 * @param sizeBytes  the size of the volume it was taken of, at that time
 * @param hostName   its name on the host, for operators; starts with {@code gcp}
 */
public record SnapshotInfo(String snapshotId, String pool, long sizeBytes, String hostName) {
}
