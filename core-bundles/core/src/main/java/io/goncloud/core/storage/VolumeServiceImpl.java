package io.goncloud.core.storage;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Snapshot;
import io.goncloud.api.model.Volume;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.VolumeService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.InstanceEntity;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.SnapshotEntity;
import io.goncloud.core.persistence.VolumeEntity;
import io.goncloud.core.persistence.WorkerNodeEntity;
import io.goncloud.core.quota.Quotas;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Volumes and snapshots as desired state: each call validates, writes the rows in one transaction and returns; the
 * storage agent of the host holding them makes, keeps and removes the data ({@link StorageStateServiceImpl}).
 */
@Component(service = VolumeService.class)
public class VolumeServiceImpl implements VolumeService {

    static final int MAX_SIZE_GIB = 16384;
    static final int TAGS_MAX = 50;
    static final List<String> STATES = List.of(VolumeStates.CREATING, VolumeStates.AVAILABLE, VolumeStates.IN_USE,
            VolumeStates.DELETING, VolumeStates.DELETED, VolumeStates.ERROR);

    private final Database db;

    @Activate
    public VolumeServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Page<Volume> list(Caller caller, String state, PageRequest page) {
        Map<String, Object> params = new HashMap<>();
        String where = ownedBy(caller, params);
        if (state != null) {
            if (!STATES.contains(state.strip())) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "state must be one of "
                        + String.join(", ", STATES));
            }
            where = and(where, "e.state = :state");
            params.put("state", state.strip());
        }
        String condition = where;
        return db.read(em -> Paging.page(em, VolumeEntity.class, condition, params, page,
                rows -> VolumeRows.toModels(em, rows)));
    }

    @Override
    public Volume create(Caller caller, CreateVolume request) {
        String name = Check.optionalText(request.name(), "name", 255);
        Map<String, String> tags = Check.tags(request.tags(), "volume", TAGS_MAX);
        String snapshotId = request.snapshotId() == null ? null
                : Check.id(request.snapshotId(), ErrorCode.SNAPSHOT_MALFORMED, "snapshot id");
        if (request.sizeGib() == null && snapshotId == null) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter size_gib");
        }
        if (request.sizeGib() != null && (request.sizeGib() < 1 || request.sizeGib() > MAX_SIZE_GIB)) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "size_gib must be between 1 and "
                    + MAX_SIZE_GIB + ", got " + request.sizeGib());
        }
        String owner = tenant(caller);
        return db.inTransaction(em -> {
            OffsetDateTime now = Database.now();
            SnapshotEntity source = snapshotId == null ? null : findSnapshot(em, caller, snapshotId, false);
            int size = request.sizeGib() != null ? request.sizeGib() : source.volumeSizeGib;
            if (source != null) {
                if (!VolumeStates.COMPLETED.equals(source.state)) {
                    throw new GcpException(ErrorCode.INCORRECT_STATE, "The snapshot '" + source.id + "' is "
                            + source.state + "; a volume can be made of a completed snapshot only");
                }
                if (size < source.volumeSizeGib) {
                    throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "size_gib must be at least the "
                            + "snapshot's " + source.volumeSizeGib + " GiB, got " + size);
                }
            }
            Quotas.requireVolume(em, owner, size);
            StoragePools.Placement placement;
            if (source != null) {
                placement = new StoragePools.Placement(source.hostId, source.pool);
                // The file driver copies by reflink within one file system: a volume from a snapshot goes to its pool.
                StoragePools.requireRoom(em, placement, size, "the snapshot");
            } else {
                placement = StoragePools.place(em, size, now);
            }
            VolumeEntity row = new VolumeEntity();
            row.id = Database.newId();
            row.userId = owner;
            row.name = name;
            row.sizeGib = size;
            row.state = VolumeStates.CREATING;
            row.snapshotId = snapshotId;
            row.hostId = placement.hostId();
            row.pool = placement.pool();
            row.createdAt = now;
            row.updatedAt = now;
            em.persist(row);
            em.flush();
            VolumeRows.setTags(em, row.id, tags);
            return VolumeRows.toModel(em, row);
        });
    }

    @Override
    public Volume get(Caller caller, String volumeId) {
        return db.read(em -> VolumeRows.toModel(em, findVolume(em, caller, volumeId, false)));
    }

    @Override
    public Volume update(Caller caller, String volumeId, UpdateVolume request) {
        String name = Check.optionalText(request.name(), "name", 255);
        Map<String, String> tags = request.tags() == null ? null : Check.tags(request.tags(), "volume", TAGS_MAX);
        Integer size = request.sizeGib();
        if (size != null && (size < 1 || size > MAX_SIZE_GIB)) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "size_gib must be between 1 and "
                    + MAX_SIZE_GIB + ", got " + size);
        }
        return db.inTransaction(em -> {
            if (size != null) { // the quota's lock on the tenant comes first, as in every transaction
                Quotas.lockOwner(em, findVolume(em, caller, volumeId, false).userId);
            }
            VolumeEntity row = findVolume(em, caller, volumeId, true);
            if (size != null && size != row.sizeGib) {
                grow(em, row, size);
            }
            if (name != null) {
                row.name = name;
            }
            if (tags != null) {
                VolumeRows.setTags(em, row.id, tags);
            }
            touch(row);
            em.flush();
            return VolumeRows.toModel(em, row);
        });
    }

    private static void grow(EntityManager em, VolumeEntity row, int size) {
        if (size < row.sizeGib) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "size_gib can only grow: the volume has "
                    + row.sizeGib + " GiB, asked for " + size);
        }
        if (!VolumeStates.AVAILABLE.equals(row.state) && !VolumeStates.IN_USE.equals(row.state)) {
            throw new GcpException(ErrorCode.INCORRECT_STATE, "The volume '" + row.id + "' is " + row.state
                    + "; only an available or in-use volume can grow");
        }
        Quotas.requireVolumeGib(em, row.userId, size - row.sizeGib);
        StoragePools.requireRoom(em, new StoragePools.Placement(row.hostId, row.pool), size - row.sizeGib,
                "the volume");
        row.sizeGib = size;
    }

    @Override
    public Volume delete(Caller caller, String volumeId) {
        return db.inTransaction(em -> {
            VolumeEntity row = findVolume(em, caller, volumeId, true);
            if (row.instanceId != null) {
                throw new GcpException(ErrorCode.VOLUME_IN_USE, "The volume '" + row.id + "' is attached to the "
                        + "instance " + row.instanceId + "; detach it first");
            }
            if (!VolumeStates.DELETING.equals(row.state)) {
                row.state = VolumeStates.DELETING;
                row.stateReason = null;
                touch(row);
                em.flush();
            }
            return VolumeRows.toModel(em, row);
        });
    }

    @Override
    public Volume attach(Caller caller, String volumeId, AttachVolume request) {
        String instanceId = Check.id(request.instanceId(), ErrorCode.INSTANCE_MALFORMED, "instance_id");
        String device = request.device() == null ? null : AttachTargets.check(request.device());
        return db.inTransaction(em -> {
            VolumeEntity row = findVolume(em, caller, volumeId, true);
            if (row.instanceId != null) {
                throw new GcpException(ErrorCode.VOLUME_IN_USE, "The volume '" + row.id + "' is attached to the "
                        + "instance " + row.instanceId + " already");
            }
            if (!VolumeStates.AVAILABLE.equals(row.state)) {
                throw new GcpException(ErrorCode.INCORRECT_STATE, "The volume '" + row.id + "' is " + row.state
                        + "; only an available volume can be attached");
            }
            InstanceEntity instance = em.find(InstanceEntity.class, instanceId, LockModeType.PESSIMISTIC_WRITE);
            if (instance == null || !instance.userId.equals(row.userId) || !caller.canSee(instance.userId)
                    || "terminated".equals(instance.state) || "shutting-down".equals(instance.state)) {
                throw new GcpException(ErrorCode.INSTANCE_NOT_FOUND, "The instance ID '" + request.instanceId()
                        + "' does not exist");
            }
            WorkerNodeEntity node = instance.workerNodeId == null ? null
                    : em.find(WorkerNodeEntity.class, instance.workerNodeId);
            if (node == null || !node.hostname.equals(row.hostId)) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The volume is in a storage pool of host "
                        + row.hostId + " and the instance " + (node == null ? "is on no host yet"
                        : "runs on host " + node.hostname) + ": a volume attaches to an instance on its own host");
            }
            String target = device != null ? device : "/volumes/" + row.id;
            boolean taken = !em.createQuery("SELECT v.id FROM VolumeEntity v WHERE v.instanceId = :instance AND "
                    + "v.device = :device", String.class).setParameter("instance", instanceId)
                    .setParameter("device", target).getResultList().isEmpty();
            if (taken) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The instance has another volume at "
                        + target);
            }
            row.instanceId = instanceId;
            row.device = target;
            row.attachmentState = VolumeStates.ATTACHING;
            row.state = VolumeStates.IN_USE;
            row.stateReason = null;
            touch(row);
            em.flush();
            return VolumeRows.toModel(em, row);
        });
    }

    @Override
    public Volume detach(Caller caller, String volumeId) {
        return db.inTransaction(em -> {
            VolumeEntity row = findVolume(em, caller, volumeId, true);
            if (row.instanceId == null) {
                throw new GcpException(ErrorCode.INCORRECT_STATE, "The volume '" + row.id + "' is not attached");
            }
            if (!VolumeStates.DETACHING.equals(row.attachmentState)) {
                row.attachmentState = VolumeStates.DETACHING;
                touch(row);
                em.flush();
            }
            return VolumeRows.toModel(em, row);
        });
    }

    @Override
    public Page<Snapshot> listSnapshots(Caller caller, String volumeId, PageRequest page) {
        Map<String, Object> params = new HashMap<>();
        String where = ownedBy(caller, params);
        if (volumeId != null) {
            where = and(where, "e.volumeId = :volume");
            params.put("volume", Check.id(volumeId, ErrorCode.VOLUME_MALFORMED, "volume id"));
        }
        String condition = where;
        return db.read(em -> Paging.page(em, SnapshotEntity.class, condition, params, page,
                rows -> rows.stream().map(VolumeRows::toModel).toList()));
    }

    @Override
    public Snapshot createSnapshot(Caller caller, CreateSnapshot request) {
        String volumeId = Check.id(request.volumeId(), ErrorCode.VOLUME_MALFORMED, "volume_id");
        String description = Check.optionalText(request.description(), "description", 255);
        return db.inTransaction(em -> {
            VolumeEntity volume = findVolume(em, caller, volumeId, true);
            if (!VolumeStates.AVAILABLE.equals(volume.state) && !VolumeStates.IN_USE.equals(volume.state)) {
                throw new GcpException(ErrorCode.INCORRECT_STATE, "The volume '" + volume.id + "' is " + volume.state
                        + "; only an available or in-use volume can be snapshotted");
            }
            OffsetDateTime now = Database.now();
            SnapshotEntity row = new SnapshotEntity();
            row.id = Database.newId();
            row.userId = volume.userId;
            row.volumeId = volume.id;
            row.volumeSizeGib = volume.sizeGib;
            row.description = description;
            row.state = VolumeStates.PENDING;
            row.hostId = volume.hostId;
            row.pool = volume.pool;
            row.createdAt = now;
            row.updatedAt = now;
            em.persist(row);
            em.flush();
            return VolumeRows.toModel(row);
        });
    }

    @Override
    public Snapshot getSnapshot(Caller caller, String snapshotId) {
        return db.read(em -> VolumeRows.toModel(findSnapshot(em, caller, snapshotId, false)));
    }

    @Override
    public void deleteSnapshot(Caller caller, String snapshotId) {
        db.run(em -> {
            SnapshotEntity row = findSnapshot(em, caller, snapshotId, true);
            if (!VolumeStates.DELETING.equals(row.state)) {
                row.state = VolumeStates.DELETING;
                row.stateReason = null;
                row.updatedAt = later(row.updatedAt);
            }
        });
    }

    /** Volumes belong to tenants: the operator (the shell) has no account to hold one. */
    private static String tenant(Caller caller) {
        if (caller.userId() == null) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Volumes belong to a tenant: create them as one");
        }
        return caller.userId();
    }

    private static String ownedBy(Caller caller, Map<String, Object> params) {
        if (caller.isOperator()) {
            return null;
        }
        params.put("owner", caller.userId());
        return "e.userId = :owner";
    }

    private static String and(String where, String condition) {
        return where == null ? condition : where + " AND " + condition;
    }

    private static VolumeEntity findVolume(EntityManager em, Caller caller, String volumeId, boolean lock) {
        String id = Check.id(volumeId, ErrorCode.VOLUME_MALFORMED, "volume id");
        VolumeEntity row = lock ? em.find(VolumeEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                : em.find(VolumeEntity.class, id);
        if (row == null || !caller.canSee(row.userId)) {
            throw new GcpException(ErrorCode.VOLUME_NOT_FOUND, "The volume '" + volumeId + "' does not exist");
        }
        return row;
    }

    private static SnapshotEntity findSnapshot(EntityManager em, Caller caller, String snapshotId, boolean lock) {
        String id = Check.id(snapshotId, ErrorCode.SNAPSHOT_MALFORMED, "snapshot id");
        SnapshotEntity row = lock ? em.find(SnapshotEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                : em.find(SnapshotEntity.class, id);
        if (row == null || !caller.canSee(row.userId)) {
            throw new GcpException(ErrorCode.SNAPSHOT_NOT_FOUND, "The snapshot '" + snapshotId + "' does not exist");
        }
        return row;
    }

    private static void touch(VolumeEntity row) {
        row.updatedAt = later(row.updatedAt);
    }

    /** A timestamp after {@code previous}, even when the clock has not moved a microsecond since. */
    static OffsetDateTime later(OffsetDateTime previous) {
        OffsetDateTime now = Database.now();
        return now.isAfter(previous) ? now : previous.plusNanos(1000);
    }
}
