package io.goncloud.api.spi.storage;

/**
 * A volume to create.
 *
 * @param volumeId         the platform's id; the driver derives its host name from it
 * @param sizeBytes        the size, a positive multiple of 1 MiB; with a snapshot, at least the snapshot's size
 * @param sourceSnapshotId the snapshot whose data the volume starts with, or {@code null} for an empty volume
 * @param pool             the pool to create it in, or {@code null} for the driver's default pool
 */
public record VolumeSpec(String volumeId, long sizeBytes, String sourceSnapshotId, String pool) {

    public static final long MIB = 1024L * 1024;

    public VolumeSpec {
        if (volumeId == null || volumeId.isBlank()) {
            throw new IllegalArgumentException("a volume needs an id");
        }
        if (sizeBytes <= 0 || sizeBytes % MIB != 0) {
            throw new IllegalArgumentException("a volume's size is a positive multiple of 1 MiB, not " + sizeBytes);
        }
    }

    /** An empty volume in the default pool. */
    public static VolumeSpec empty(String volumeId, long sizeBytes) {
        return new VolumeSpec(volumeId, sizeBytes, null, null);
    }

    /** A volume holding a snapshot's data, in the default pool. */
    public static VolumeSpec fromSnapshot(String volumeId, long sizeBytes, String snapshotId) {
        return new VolumeSpec(volumeId, sizeBytes, snapshotId, null);
    }
}
