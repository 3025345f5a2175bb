package io.goncloud.api.service;

import io.goncloud.api.spi.storage.SnapshotInfo;
import io.goncloud.api.spi.storage.StoragePool;
import io.goncloud.api.spi.storage.VolumeInfo;

import java.util.List;
import java.util.Map;

/**
 * The storage side of a host, level-triggered like {@link NetworkStateService}: the host's storage agent asks what
 * volumes and snapshots the host must hold, converges its storage driver to that, and tells what it then holds; the
 * platform moves the volumes' and snapshots' states from what was observed.
 */
public interface StorageStateService {

    /** What the host must make, keep and remove. */
    DesiredStorage desiredStorage(String hostId);

    /**
     * What the host's storage driver holds after a pass: its pools (so that volumes can be placed there), every
     * volume and snapshot it has, and why an operation the desired state asked for failed.
     */
    void observed(String hostId, ObservedStorage observed);

    /** What to do with a volume or snapshot. */
    enum Action {
        /** Make it if absent (a new volume, a pending snapshot). */
        CREATE,
        /** It must be there already: if absent, it was lost, and is reported so, never silently made again. */
        KEEP,
        /** Remove it. */
        DELETE
    }

    /**
     * @param sizeBytes        the volume's size
     * @param sourceSnapshotId for {@link Action#CREATE}: the snapshot whose data it starts with, or {@code null}
     */
    record DesiredVolume(String volumeId, Action action, long sizeBytes, String sourceSnapshotId, String pool) {
    }

    /** @param volumeId the volume to take it of (for {@link Action#CREATE}) */
    record DesiredSnapshot(String snapshotId, Action action, String volumeId) {
    }

    /**
     * A volume in an instance: {@link Action#CREATE} to plug in, {@link Action#KEEP} to keep plugged in (again after
     * the instance restarted), {@link Action#DELETE} to take out.
     *
     * @param target where the instance sees it (a container: the mount path)
     */
    record DesiredAttachment(String volumeId, String instanceId, String target, Action action) {
    }

    record DesiredStorage(List<DesiredVolume> volumes, List<DesiredSnapshot> snapshots,
                          List<DesiredAttachment> attachments) {

        public DesiredStorage {
            volumes = List.copyOf(volumes);
            snapshots = List.copyOf(snapshots);
            attachments = List.copyOf(attachments);
        }

        /** Without attachments. */
        public DesiredStorage(List<DesiredVolume> volumes, List<DesiredSnapshot> snapshots) {
            this(volumes, snapshots, List.of());
        }
    }

    /**
     * @param failures why creating, growing, attaching or removing a volume or snapshot failed, by its id, in operator
     *                 words
     * @param attached ids of the volumes plugged into their instances after the pass
     */
    record ObservedStorage(List<StoragePool> pools, List<VolumeInfo> volumes, List<SnapshotInfo> snapshots,
                           Map<String, String> failures, List<String> attached) {

        public ObservedStorage {
            pools = List.copyOf(pools);
            volumes = List.copyOf(volumes);
            snapshots = List.copyOf(snapshots);
            failures = Map.copyOf(failures);
            attached = List.copyOf(attached);
        }

        /** With nothing attached. */
        public ObservedStorage(List<StoragePool> pools, List<VolumeInfo> volumes, List<SnapshotInfo> snapshots,
                               Map<String, String> failures) {
            this(pools, volumes, snapshots, failures, List.of());
        }
    }
}
