package io.goncloud.core.compute;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.WorkerNode;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.WorkerNodeService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.WorkerNodeEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Component(service = WorkerNodeService.class)
public class WorkerNodeServiceImpl implements WorkerNodeService {

    private final Database db;

    @Activate
    public WorkerNodeServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public List<WorkerNode> list(Caller caller) {
        requireAdmin(caller);
        return db.read(em -> toModels(em, em.createQuery("SELECT n FROM WorkerNodeEntity n ORDER BY n.hostname",
                WorkerNodeEntity.class).getResultList()));
    }

    @Override
    public WorkerNode get(Caller caller, String nodeIdOrHostname) {
        requireAdmin(caller);
        return db.read(em -> toModels(em, List.of(find(em, nodeIdOrHostname, false))).get(0));
    }

    @Override
    public WorkerNode drain(Caller caller, String nodeIdOrHostname) {
        return setState(caller, nodeIdOrHostname, WorkerNodeEntity.DRAINING);
    }

    @Override
    public WorkerNode undrain(Caller caller, String nodeIdOrHostname) {
        return setState(caller, nodeIdOrHostname, WorkerNodeEntity.UP);
    }

    private WorkerNode setState(Caller caller, String nodeIdOrHostname, String state) {
        requireAdmin(caller);
        return db.inTransaction(em -> {
            WorkerNodeEntity node = find(em, nodeIdOrHostname, true);
            if (WorkerNodeEntity.DOWN.equals(node.state) && WorkerNodeEntity.UP.equals(state)) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The worker " + node.hostname
                        + " is down; it comes up by itself when it sends a heartbeat");
            }
            node.state = state;
            node.updatedAt = Database.now();
            em.flush();
            return toModels(em, List.of(node)).get(0);
        });
    }

    private static WorkerNodeEntity find(EntityManager em, String nodeIdOrHostname, boolean lock) {
        if (nodeIdOrHostname == null || nodeIdOrHostname.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain a worker node id or host name");
        }
        String key = nodeIdOrHostname.strip();
        WorkerNodeEntity node = null;
        try {
            String id = UUID.fromString(key).toString();
            node = lock ? em.find(WorkerNodeEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                    : em.find(WorkerNodeEntity.class, id);
        } catch (IllegalArgumentException notAnId) {
            node = Nodes.byHostname(em, key, lock);
        }
        if (node == null) {
            throw new GcpException(ErrorCode.WORKER_NODE_NOT_FOUND, "No worker node is called '" + key + "'");
        }
        return node;
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new GcpException(ErrorCode.UNAUTHORIZED_OPERATION, "Only administrators may manage worker nodes");
        }
    }

    private static List<WorkerNode> toModels(EntityManager em, List<WorkerNodeEntity> nodes) {
        Map<String, Long> counts = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT CAST(worker_node_id AS VARCHAR(36)), COUNT(*) FROM instances "
                + "WHERE state <> 'terminated' AND worker_node_id IS NOT NULL GROUP BY worker_node_id").getResultList()) {
            Object[] cols = (Object[]) row;
            counts.put((String) cols[0], ((Number) cols[1]).longValue());
        }
        return nodes.stream().map(n -> new WorkerNode(n.id, n.hostname, n.address, n.state, n.cpuTotal,
                n.memoryTotalMib, n.diskTotalGib, n.cpuAllocated, n.memoryAllocatedMib, Placement.capabilities(n),
                counts.getOrDefault(n.id, 0L), n.lastHeartbeatAt == null ? null : n.lastHeartbeatAt.toInstant(),
                n.createdAt.toInstant())).toList();
    }
}
