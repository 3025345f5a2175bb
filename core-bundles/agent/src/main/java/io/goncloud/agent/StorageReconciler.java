package io.goncloud.agent;

import io.goncloud.api.service.StorageStateService;
import io.goncloud.api.service.StorageStateService.Action;
import io.goncloud.api.service.StorageStateService.DesiredSnapshot;
import io.goncloud.api.service.StorageStateService.DesiredStorage;
import io.goncloud.api.service.StorageStateService.DesiredVolume;
import io.goncloud.api.service.StorageStateService.ObservedStorage;
import io.goncloud.api.spi.storage.StorageDriver;
import io.goncloud.api.spi.storage.VolumeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * One storage pass: grows what is smaller than desired, makes what the desired state creates (snapshots before the volumes that may be made from them,
 * volumes before the snapshots taken of them, so that one pass serves both orders), removes what it deletes, then
 * reports what the driver holds. A failure of one volume or snapshot is reported with it and stops nothing else;
 * a driver that cannot even list what it holds fails the pass, and nothing is reported (an incomplete list would
 * take the volumes missing from it for lost).
 */
final class StorageReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(StorageReconciler.class);

    private final StorageStateService state;
    private final String hostId;

    StorageReconciler(StorageStateService state, String hostId) {
        this.state = state;
        this.hostId = hostId;
    }

    void converge(StorageDriver driver) {
        DesiredStorage desired = state.desiredStorage(hostId);
        Map<String, String> failures = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        driver.listVolumes().forEach(v -> sizes.put(v.volumeId(), v.sizeBytes()));
        for (DesiredVolume volume : desired.volumes()) {
            if (volume.action() == Action.CREATE && volume.sourceSnapshotId() == null) {
                attempt(failures, volume.volumeId(), () -> driver.createVolume(
                        new VolumeSpec(volume.volumeId(), volume.sizeBytes(), null, volume.pool())));
            } else if (volume.action() == Action.KEEP && sizes.getOrDefault(volume.volumeId(), Long.MAX_VALUE)
                    < volume.sizeBytes()) {
                attempt(failures, volume.volumeId(), () -> driver.growVolume(volume.volumeId(), volume.sizeBytes()));
            }
        }
        for (DesiredSnapshot snapshot : desired.snapshots()) {
            if (snapshot.action() == Action.CREATE) {
                attempt(failures, snapshot.snapshotId(),
                        () -> driver.createSnapshot(snapshot.snapshotId(), snapshot.volumeId()));
            }
        }
        for (DesiredVolume volume : desired.volumes()) {
            if (volume.action() == Action.CREATE && volume.sourceSnapshotId() != null) {
                attempt(failures, volume.volumeId(), () -> driver.createVolume(new VolumeSpec(volume.volumeId(),
                        volume.sizeBytes(), volume.sourceSnapshotId(), volume.pool())));
            } else if (volume.action() == Action.DELETE) {
                attempt(failures, volume.volumeId(), () -> driver.deleteVolume(volume.volumeId()));
            }
        }
        for (DesiredSnapshot snapshot : desired.snapshots()) {
            if (snapshot.action() == Action.DELETE) {
                attempt(failures, snapshot.snapshotId(), () -> driver.deleteSnapshot(snapshot.snapshotId()));
            }
        }
        state.observed(hostId, new ObservedStorage(driver.pools(), driver.listVolumes(), driver.listSnapshots(),
                failures));
    }

    private static void attempt(Map<String, String> failures, String id, Runnable operation) {
        try {
            operation.run();
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("Storage operation on {} failed: {}", id, reason);
            failures.put(id, reason);
        }
    }
}
