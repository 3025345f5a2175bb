package io.goncloud.api.service;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Snapshot;
import io.goncloud.api.model.Volume;

import java.util.Map;

/**
 * Block volumes and their snapshots, with EBS semantics. Calls record the desired state and return at once: a new
 * volume is {@code creating} and a new snapshot {@code pending} until the storage agent of the worker holding them
 * has made them. All methods are scoped to the caller; another tenant's ids are reported as missing.
 */
public interface VolumeService {

    /** @param state only volumes in this state, or all when {@code null} */
    Page<Volume> list(Caller caller, String state, PageRequest page);

    /**
     * Places the volume in a worker's storage pool with room for it and records it as {@code creating}; nothing is
     * written when that fails ({@code VolumeLimitExceeded} over the tenant's quota, {@code InsufficientVolumeCapacity}
     * when no pool has room, {@code InvalidSnapshot.NotFound}, {@code IncorrectState} for a snapshot not completed).
     */
    Volume create(Caller caller, CreateVolume request);

    Volume get(Caller caller, String volumeId);

    /**
     * Renames, retags or grows; fields left {@code null} stay as they are, {@code tags} replaces all tags. A larger
     * {@code sizeGib} grows an {@code available} or {@code in-use} volume: the API shows the new size at once and the
     * volume's host grows the data at its next pass (a file system on it is not resized). Shrinking is refused.
     */
    Volume update(Caller caller, String volumeId, UpdateVolume request);

    /**
     * Deletes the volume: {@code deleting} until its worker has removed the data, then gone ({@code deleted} when
     * no worker held it yet). {@code VolumeInUse} while attached; its snapshots stay.
     */
    Volume delete(Caller caller, String volumeId);

    /**
     * Attaches an {@code available} volume to one of the caller's instances on the same host as the volume's pool:
     * the volume is {@code in-use} at once with its attachment {@code attaching}, then {@code attached} when the
     * host's storage agent has plugged it in. {@code VolumeInUse} when attached already; {@code IncorrectState} when
     * not available; {@code InvalidParameterValue} for an instance on another host or a bad or taken device.
     */
    Volume attach(Caller caller, String volumeId, AttachVolume request);

    /** Detaches the volume: {@code detaching}, then {@code available} once its host has taken it out. */
    Volume detach(Caller caller, String volumeId);

    /** @param volumeId only snapshots of this volume, or all when {@code null} */
    Page<Snapshot> listSnapshots(Caller caller, String volumeId, PageRequest page);

    /** Records a snapshot of an {@code available} or {@code in-use} volume as {@code pending}. */
    Snapshot createSnapshot(Caller caller, CreateSnapshot request);

    Snapshot getSnapshot(Caller caller, String snapshotId);

    /** Deletes the snapshot; volumes made from it keep their data. */
    void deleteSnapshot(Caller caller, String snapshotId);

    /**
     * @param name       optional, at most 255 characters
     * @param sizeGib    1 to 16384; with a snapshot, at least the snapshot's volume size, which is also the default
     * @param snapshotId a completed snapshot of the caller's to copy the data of, or {@code null} for an empty volume
     */
    record CreateVolume(String name, Integer sizeGib, String snapshotId, Map<String, String> tags) {
    }

    record UpdateVolume(String name, Integer sizeGib, Map<String, String> tags) {
    }

    record CreateSnapshot(String volumeId, String description) {
    }

    /**
     * @param device where the instance sees the volume: for a container, the absolute path its file system is mounted
     *               at; {@code null} for {@code /volumes/<volume id>}
     */
    record AttachVolume(String instanceId, String device) {
    }
}
