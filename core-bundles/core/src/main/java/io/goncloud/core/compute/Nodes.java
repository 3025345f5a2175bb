package io.goncloud.core.compute;

import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.WorkerNodeEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;

/** Worker nodes as their heartbeats describe them. */
final class Nodes {

    private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private Nodes() {
    }

    /** Records a heartbeat: registers a new node, refreshes a known one, and brings a down node back up. */
    static WorkerNodeEntity heartbeat(EntityManager em, WorkerReport report, OffsetDateTime now) {
        WorkerNodeEntity node = byHostname(em, report.hostId(), true);
        if (node == null) {
            node = new WorkerNodeEntity();
            node.id = Database.newId();
            node.hostname = report.hostId();
            node.state = WorkerNodeEntity.UP;
            node.createdAt = now;
            em.persist(node);
            LOG.info("Worker {} registered ({} vCPUs, {} MiB)", report.hostId(), report.capacity().vcpus(),
                    report.capacity().memoryMiB());
        } else if (WorkerNodeEntity.DOWN.equals(node.state)) {
            node.state = WorkerNodeEntity.UP;
            LOG.info("Worker {} is up again", node.hostname);
        }
        node.address = report.address();
        node.underlayAddress = underlayAddress(report);
        node.cpuTotal = report.capacity().vcpus();
        node.memoryTotalMib = report.capacity().memoryMiB();
        node.diskTotalGib = report.capacity().diskGiB();
        node.drivers = String.join(",", report.capabilities());
        node.lastHeartbeatAt = now;
        node.updatedAt = now;
        em.flush();
        return node;
    }

    /** The report's underlay address if it is an IPv4 literal; anything else is logged and taken as none. */
    private static String underlayAddress(WorkerReport report) {
        String address = report.underlayAddress();
        if (address == null || address.isBlank()) {
            return null;
        }
        String trimmed = address.strip();
        if (!IPV4.matcher(trimmed).matches()) {
            LOG.warn("Worker {} reports the underlay address '{}', which is not an IPv4 address: ignored (no tunnels "
                    + "to it)", report.hostId(), address);
            return null;
        }
        return trimmed;
    }

    static WorkerNodeEntity byHostname(EntityManager em, String hostname, boolean lock) {
        var query = em.createQuery("SELECT n FROM WorkerNodeEntity n WHERE n.hostname = :host", WorkerNodeEntity.class)
                .setParameter("host", hostname);
        if (lock) {
            query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        List<WorkerNodeEntity> nodes = query.getResultList();
        return nodes.isEmpty() ? null : nodes.get(0);
    }

    /** Marks nodes silent since {@code cutoff} down; their instances' state is unknown until they report again. */
    static void markSilentDown(EntityManager em, OffsetDateTime cutoff) {
        for (WorkerNodeEntity node : em.createQuery("SELECT n FROM WorkerNodeEntity n WHERE n.state <> :down "
                        + "AND (n.lastHeartbeatAt IS NULL OR n.lastHeartbeatAt < :cutoff)", WorkerNodeEntity.class)
                .setParameter("down", WorkerNodeEntity.DOWN).setParameter("cutoff", cutoff)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            node.state = WorkerNodeEntity.DOWN;
            node.updatedAt = Database.now();
            LOG.warn("Worker {} sent no heartbeat since {}: marked down", node.hostname, node.lastHeartbeatAt);
            em.createNativeQuery("UPDATE instances SET state_reason = ? WHERE worker_node_id = ? AND state <> 'terminated'")
                    .setParameter(1, "The worker " + node.hostname + " stopped responding at " + node.lastHeartbeatAt
                            + "; the instance's actual state is unknown")
                    .setParameter(2, node.id).executeUpdate();
        }
    }
}
