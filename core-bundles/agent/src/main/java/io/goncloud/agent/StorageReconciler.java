package io.goncloud.agent;

import io.goncloud.api.service.StorageStateService;
import io.goncloud.api.service.StorageStateService.Action;
import io.goncloud.api.service.StorageStateService.DesiredAttachment;
import io.goncloud.api.service.StorageStateService.DesiredSnapshot;
import io.goncloud.api.service.StorageStateService.DesiredStorage;
import io.goncloud.api.service.StorageStateService.DesiredVolume;
import io.goncloud.api.service.StorageStateService.ObservedStorage;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.storage.AttachHandle;
import io.goncloud.api.spi.storage.StorageDriver;
import io.goncloud.api.spi.storage.VolumeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One storage pass: grows what is smaller than desired and makes what the desired state creates (snapshots before
 * the volumes that may be made from them, volumes before the snapshots taken of them, so that one pass serves both
 * orders), removes what it deletes, plugs volumes into their instances or takes them out (through the compute driver
 * that has the instance), then reports what the driver holds and what is plugged in. A failure of one volume or
 * snapshot is reported with it and stops nothing else; a driver that cannot even list what it holds fails the pass,
 * and nothing is reported (an incomplete list would take the volumes missing from it for lost).
 */
final class StorageReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(StorageReconciler.class);

    private final StorageStateService state;
    private final String hostId;
    /** The host's compute drivers as they are now: the instances volumes attach to are theirs. */
    private final Supplier<List<ComputeDriver>> computeDrivers;

    StorageReconciler(StorageStateService state, String hostId, Supplier<List<ComputeDriver>> computeDrivers) {
        this.state = state;
        this.hostId = hostId;
        this.computeDrivers = computeDrivers;
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
                attempt(failures, volume.volumeId(), () -> {
                    // A volume being deleted is attached nowhere (the platform refuses that): a handle still open
                    // is one a crash left between unplugging it and closing it.
                    driver.closeAttachment(volume.volumeId());
                    driver.deleteVolume(volume.volumeId());
                });
            }
        }
        for (DesiredSnapshot snapshot : desired.snapshots()) {
            if (snapshot.action() == Action.DELETE) {
                attempt(failures, snapshot.snapshotId(), () -> driver.deleteSnapshot(snapshot.snapshotId()));
            }
        }
        List<String> attached = new ArrayList<>();
        for (DesiredAttachment attachment : desired.attachments()) {
            if (attachment.action() == Action.DELETE) {
                if (!attempt(failures, attachment.volumeId(), () -> detach(driver, attachment))) {
                    attached.add(attachment.volumeId()); // still in the instance (busy): tried again next pass
                }
            } else if (attempt(failures, attachment.volumeId(), () -> attach(driver, attachment))) {
                attached.add(attachment.volumeId());
            }
        }
        state.observed(hostId, new ObservedStorage(driver.pools(), driver.listVolumes(), driver.listSnapshots(),
                failures, attached));
    }

    /** Plugs the volume into its instance through the compute driver that has the instance (again if need be). */
    private void attach(StorageDriver storage, DesiredAttachment attachment) {
        ComputeDriver compute = owner(attachment.instanceId()).orElseThrow(() -> new IllegalStateException(
                "no compute driver on " + hostId + " has the instance " + attachment.instanceId()));
        if (!compute.info().has(ComputeDriver.VOLUMES_AS_FILE_SYSTEMS)) {
            throw new IllegalStateException("compute driver " + compute.info().name() + " cannot attach volumes");
        }
        AttachHandle handle = storage.openAttachment(attachment.volumeId(), AttachHandle.Consumer.CONTAINER);
        compute.attachVolume(attachment.instanceId(), handle, attachment.target());
    }

    /** Takes the volume out of its instance (if the instance is still here), then releases the handle. */
    private void detach(StorageDriver storage, DesiredAttachment attachment) {
        owner(attachment.instanceId()).ifPresent(compute ->
                compute.detachVolume(attachment.instanceId(), attachment.volumeId(), attachment.target()));
        storage.closeAttachment(attachment.volumeId());
    }

    private Optional<ComputeDriver> owner(String instanceId) {
        for (ComputeDriver compute : computeDrivers.get()) {
            if (compute.inspect(instanceId).isPresent()) {
                return Optional.of(compute);
            }
        }
        return Optional.empty();
    }

    /** @return whether the operation succeeded; if not, why is in {@code failures} */
    private static boolean attempt(Map<String, String> failures, String id, Runnable operation) {
        try {
            operation.run();
            return true;
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("Storage operation on {} failed: {}", id, reason);
            failures.put(id, reason);
            return false;
        }
    }
}
