package io.goncloud.core.storage;

import io.goncloud.api.service.StorageStateService;
import io.goncloud.api.spi.storage.SnapshotInfo;
import io.goncloud.api.spi.storage.VolumeInfo;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.InstanceEntity;
import io.goncloud.core.persistence.SnapshotEntity;
import io.goncloud.core.persistence.VolumeEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The volumes and snapshots each host must hold, from their rows, and their states moved from what the host's
 * storage agent observed: made ({@code creating} to {@code available}, {@code pending} to {@code completed}), failed
 * ({@code error} with the driver's reason), lost (an {@code available} volume the host no longer has: {@code error},
 * never silently made again), removed (the rows of what was {@code deleting} go). What a host holds that no row wants
 * is reported in the log and left alone: it may be data a restored database forgot.
 */
@Component(service = StorageStateService.class)
public class StorageStateServiceImpl implements StorageStateService {

    private static final Logger LOG = LoggerFactory.getLogger(StorageStateServiceImpl.class);

    private final Database db;

    @Activate
    public StorageStateServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public DesiredStorage desiredStorage(String hostId) {
        return db.read(em -> {
            List<DesiredVolume> volumes = new ArrayList<>();
            for (VolumeEntity v : volumesOf(em, hostId, false)) {
                Action action = switch (v.state) {
                    case VolumeStates.CREATING -> Action.CREATE;
                    case VolumeStates.DELETING -> Action.DELETE;
                    case VolumeStates.AVAILABLE, VolumeStates.IN_USE -> Action.KEEP;
                    default -> null; // error: left for an operator (or the tenant's delete)
                };
                if (action != null) {
                    volumes.add(new DesiredVolume(v.id, action, v.sizeGib * StoragePools.GIB, v.snapshotId, v.pool));
                }
            }
            List<DesiredSnapshot> snapshots = new ArrayList<>();
            for (SnapshotEntity s : snapshotsOf(em, hostId, false)) {
                Action action = switch (s.state) {
                    case VolumeStates.PENDING -> Action.CREATE;
                    case VolumeStates.DELETING -> Action.DELETE;
                    case VolumeStates.COMPLETED -> Action.KEEP;
                    default -> null;
                };
                if (action != null) {
                    snapshots.add(new DesiredSnapshot(s.id, action, s.volumeId));
                }
            }
            List<DesiredAttachment> attachments = new ArrayList<>();
            for (VolumeEntity v : volumesOf(em, hostId, false)) {
                if (v.instanceId != null && VolumeStates.IN_USE.equals(v.state)) {
                    Action action = VolumeStates.DETACHING.equals(v.attachmentState) || !instanceLives(em, v.instanceId)
                            ? Action.DELETE
                            : VolumeStates.ATTACHING.equals(v.attachmentState) ? Action.CREATE : Action.KEEP;
                    attachments.add(new DesiredAttachment(v.id, v.instanceId, v.device, action));
                }
            }
            return new DesiredStorage(volumes, snapshots, attachments);
        });
    }

    /**
     * Looks first without locking and writes only when something is to change: an agent's pass that finds all as it
     * was commits nothing, so it wakes no listener (the agent itself listens to commits, and would loop).
     */
    @Override
    public void observed(String hostId, ObservedStorage observed) {
        if (db.read(em -> reconcile(em, hostId, observed, false))) {
            db.run(em -> reconcile(em, hostId, observed, true));
        }
    }

    /** @return whether anything changed (with {@code write}) or would change */
    private boolean reconcile(EntityManager em, String hostId, ObservedStorage observed, boolean write) {
        Set<String> volumesThere = observed.volumes().stream().map(VolumeInfo::volumeId).collect(Collectors.toSet());
        Set<String> snapshotsThere = observed.snapshots().stream().map(SnapshotInfo::snapshotId)
                .collect(Collectors.toSet());
        Map<String, String> failures = observed.failures();
        boolean changed = StoragePools.report(em, hostId, observed.pools(), Database.now(), write);
        Set<String> known = new HashSet<>();
        for (VolumeEntity v : volumesOf(em, hostId, write)) {
            known.add(v.id);
            boolean there = volumesThere.contains(v.id);
            switch (v.state) {
                case VolumeStates.CREATING -> {
                    if (there) {
                        changed |= move(v, VolumeStates.AVAILABLE, null);
                    } else if (failures.containsKey(v.id)) {
                        changed |= move(v, VolumeStates.ERROR, failures.get(v.id));
                    }
                }
                case VolumeStates.AVAILABLE -> {
                    if (!there) {
                        changed |= move(v, VolumeStates.ERROR, "host " + hostId + " no longer has the volume's data");
                    } else {
                        changed |= move(v, v.state, failures.get(v.id)); // why growing it failed, or nothing
                    }
                }
                case VolumeStates.IN_USE -> {
                    if (!there) {
                        changed |= move(v, VolumeStates.ERROR, "host " + hostId + " no longer has the volume's data");
                    } else {
                        changed |= attachment(em, v, observed.attached().contains(v.id), failures.get(v.id));
                    }
                }
                case VolumeStates.DELETING -> {
                    if (!there) {
                        changed = true;
                        if (write) {
                            em.remove(v);
                        }
                    } else if (failures.containsKey(v.id)) {
                        changed |= move(v, VolumeStates.DELETING, failures.get(v.id));
                    }
                }
                default -> {
                }
            }
        }
        for (SnapshotEntity s : snapshotsOf(em, hostId, write)) {
            known.add(s.id);
            boolean there = snapshotsThere.contains(s.id);
            if (VolumeStates.PENDING.equals(s.state) && there) {
                changed |= move(s, VolumeStates.COMPLETED, null);
            } else if (VolumeStates.PENDING.equals(s.state) && failures.containsKey(s.id)) {
                changed |= move(s, VolumeStates.ERROR, failures.get(s.id));
            } else if (VolumeStates.COMPLETED.equals(s.state) && !there) {
                changed |= move(s, VolumeStates.ERROR, "host " + hostId + " no longer has the snapshot's data");
            } else if (VolumeStates.DELETING.equals(s.state) && !there) {
                changed = true;
                if (write) {
                    em.remove(s);
                }
            }
        }
        if (write) {
            List<String> orphans = new ArrayList<>();
            volumesThere.stream().filter(id -> !known.contains(id)).forEach(orphans::add);
            snapshotsThere.stream().filter(id -> !known.contains(id)).forEach(orphans::add);
            if (!orphans.isEmpty()) {
                LOG.warn("Host {} holds volumes or snapshots no record wants (left in place): {}", hostId, orphans);
            }
        }
        return changed;
    }

    /** Moves an in-use volume's attachment by what the host did; the volume is {@code available} once out. */
    private static boolean attachment(EntityManager em, VolumeEntity v, boolean attached, String failure) {
        boolean gone = !attached && (VolumeStates.DETACHING.equals(v.attachmentState) || !instanceLives(em, v.instanceId));
        if (gone || (failure != null && VolumeStates.ATTACHING.equals(v.attachmentState))) {
            v.instanceId = null;
            v.device = null;
            v.attachmentState = null;
            move(v, VolumeStates.AVAILABLE, gone ? null : failure);
            return true;
        }
        boolean changed = false;
        if (attached && VolumeStates.ATTACHING.equals(v.attachmentState)) {
            v.attachmentState = VolumeStates.ATTACHED;
            v.updatedAt = VolumeServiceImpl.later(v.updatedAt);
            changed = true;
        }
        return move(v, v.state, failure) || changed;
    }

    /** Whether the instance exists and is not terminating: a terminated instance's volumes are detached. */
    private static boolean instanceLives(EntityManager em, String instanceId) {
        InstanceEntity instance = em.find(InstanceEntity.class, instanceId);
        return instance != null && !"terminated".equals(instance.state) && !"shutting-down".equals(instance.state);
    }

    private static List<VolumeEntity> volumesOf(EntityManager em, String hostId, boolean lock) {
        var query = em.createQuery("SELECT v FROM VolumeEntity v WHERE v.hostId = :host ORDER BY v.id",
                VolumeEntity.class).setParameter("host", hostId);
        return lock ? query.setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList() : query.getResultList();
    }

    private static List<SnapshotEntity> snapshotsOf(EntityManager em, String hostId, boolean lock) {
        var query = em.createQuery("SELECT s FROM SnapshotEntity s WHERE s.hostId = :host ORDER BY s.id",
                SnapshotEntity.class).setParameter("host", hostId);
        return lock ? query.setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList() : query.getResultList();
    }

    private static boolean move(VolumeEntity v, String state, String reason) {
        if (state.equals(v.state) && Objects.equals(reason, v.stateReason)) {
            return false;
        }
        v.state = state;
        v.stateReason = reason;
        v.updatedAt = VolumeServiceImpl.later(v.updatedAt);
        return true;
    }

    private static boolean move(SnapshotEntity s, String state, String reason) {
        if (state.equals(s.state) && Objects.equals(reason, s.stateReason)) {
            return false;
        }
        s.state = state;
        s.stateReason = reason;
        s.updatedAt = VolumeServiceImpl.later(s.updatedAt);
        return true;
    }
}
