package io.goncloud.api.spi.storage;

import io.goncloud.api.spi.Driver;

import java.util.List;
import java.util.Optional;

/**
 * Provides block volumes and snapshots on a host (LVM logical volumes, files, ...). Volumes are
 * identified by the platform's volume id and named with the {@code gcp} prefix on the host.
 */
public interface StorageDriver extends Driver {

    /** Creates the volume if absent; an existing volume of that id is returned unchanged. */
    VolumeInfo create(String volumeId, long sizeBytes);

    /** Creates a point-in-time copy of a volume; idempotent by {@code snapshotId}. */
    VolumeInfo snapshot(String volumeId, String snapshotId);

    /** Removes the volume or snapshot; removing one that does not exist succeeds. */
    void delete(String volumeId);

    Optional<VolumeInfo> inspect(String volumeId);

    /** Every volume this driver manages on this host, for reconciliation. */
    List<VolumeInfo> list();

    /**
     * @param path what a compute driver attaches: a block device or a file path
     */
    record VolumeInfo(String volumeId, long sizeBytes, String path) {
    }
}
