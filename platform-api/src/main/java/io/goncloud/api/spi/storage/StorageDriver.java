package io.goncloud.api.spi.storage;

import io.goncloud.api.spi.Driver;

import java.util.List;
import java.util.Optional;

/**
 * Provides block volumes and their snapshots on the local host, out of one or more storage pools (a directory
 * of sparse files, an LVM thin pool...). Volumes and snapshots are identified by the platform's ids; the driver
 * derives its host names from them, with the {@code gcp} prefix, so that it finds them again after any restart
 * and never touches anything else.
 *
 * <p>A volume holds exactly {@code sizeBytes} bytes of block data; the platform does not look inside. A snapshot
 * is a read-only point-in-time copy of one volume (crash-consistent when the volume is in use) that outlives the
 * volume; a volume created from a snapshot starts with exactly the snapshot's data.
 *
 * <p>Compute drivers reach a volume through an {@link AttachHandle}: what a virtual machine opens (a file or a
 * block device) or what a container gets (a block device node).
 *
 * <p>Capabilities ({@link io.goncloud.api.spi.DriverInfo#capabilities()}) are the constants below; the platform
 * only asks for what a driver declares.
 */
public interface StorageDriver extends Driver {

    /** Snapshots are taken without copying the data (reflink, thin snapshot): fast whatever the size. */
    String CAPABILITY_CHEAP_SNAPSHOTS = "snapshots:copy-on-write";
    /** {@link #growVolume} works. */
    String CAPABILITY_GROW = "volumes:grow";
    /** Space is taken as data is written, so a pool may promise more than it has. */
    String CAPABILITY_THIN = "volumes:thin";
    /** Prefix of the kinds of handle {@link #openAttachment} hands out: {@code attach:file}, {@code attach:block-device}. */
    String ATTACH = "attach:";

    /** This driver's pools with their space now. Reads the host; cheap enough for a heartbeat. */
    List<StoragePool> pools();

    /**
     * Creates the volume if absent, empty (all zeroes) or, with {@link VolumeSpec#sourceSnapshotId()}, holding
     * exactly the snapshot's data and then grown to the asked size. A volume of that id that already exists is
     * returned as it is. On failure nothing of the volume is left behind.
     *
     * @throws StorageCapacityException when the pool cannot hold the volume
     * @throws io.goncloud.api.spi.DriverException when the snapshot does not exist, or the host refused
     */
    VolumeInfo createVolume(VolumeSpec spec);

    /**
     * Grows the volume to {@code sizeBytes}; its data is kept and the new space reads as zeroes. Asking for the
     * size it has does nothing; shrinking is refused (it would cut data a file system may hold).
     */
    VolumeInfo growVolume(String volumeId, long sizeBytes);

    /**
     * Removes the volume and its data. Snapshots of it stay. Removing a volume that does not exist succeeds;
     * removing one with an open attachment is refused.
     */
    void deleteVolume(String volumeId);

    /** The volume as the host has it, or empty if this driver has no such volume. */
    Optional<VolumeInfo> inspectVolume(String volumeId);

    /**
     * Every volume this driver holds on this host, including ones the platform may have forgotten: reconciliation
     * compares this with the database to report orphans and the missing.
     */
    List<VolumeInfo> listVolumes();

    /**
     * Takes a snapshot of the volume; idempotent by {@code snapshotId} (an existing snapshot is returned as it is).
     *
     * @throws io.goncloud.api.spi.DriverException when the volume does not exist
     */
    SnapshotInfo createSnapshot(String snapshotId, String volumeId);

    /** Removes the snapshot; removing one that does not exist succeeds. Volumes made from it are unaffected. */
    void deleteSnapshot(String snapshotId);

    Optional<SnapshotInfo> inspectSnapshot(String snapshotId);

    /** Every snapshot this driver holds on this host, for reconciliation. */
    List<SnapshotInfo> listSnapshots();

    /**
     * Makes the volume reachable for a compute driver and says how. Idempotent: while the attachment is open,
     * asking again returns the same handle. The handle stays valid until {@link #closeAttachment}.
     *
     * @param consumer who will use it; a driver may hand a virtual machine the volume's file itself but a
     *                 container a block device
     */
    AttachHandle openAttachment(String volumeId, AttachHandle.Consumer consumer);

    /**
     * Releases what {@link #openAttachment} set up (a loop device...). The compute driver must have let go of the
     * handle first. Closing an attachment that is not open succeeds.
     */
    void closeAttachment(String volumeId);
}
