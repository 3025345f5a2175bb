package io.goncloud.core.compute;

import io.goncloud.api.cluster.ReportHandler;
import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.ImageEntity;
import io.goncloud.core.persistence.InstanceEntity;
import io.goncloud.core.persistence.WorkerNodeEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The controller's side of the cluster, level-triggered like a Kubernetes controller: worker reports update
 * nodes and move instances to the state their worker observed, and a periodic sweep marks silent workers down,
 * resends tasks that got no answer and forgets long-terminated instances.
 */
@Component(service = {ReportHandler.class, ClusterController.class}, immediate = true,
        configurationPid = ClusterConfig.PID)
@Designate(ocd = ClusterConfig.class)
public class ClusterController implements ReportHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterController.class);

    private final Database db;
    private final TaskDispatcher tasks;
    private final ClusterConfig config;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;
    /**
     * Heartbeats missed while this controller was not running say nothing about a worker: it is given its whole
     * timeout from the controller's start before it is marked down (else every restart would mark all workers
     * down and their instances unknown, and refuse launches until the next heartbeats).
     */
    private final OffsetDateTime startedAt;

    @Activate
    public ClusterController(@Reference Database db, @Reference TaskDispatcher tasks, ClusterConfig config) {
        this(db, tasks, config, Clock.systemUTC(), true);
    }

    /** @param sweepInBackground whether to sweep on a timer; tests call {@link #sweep()} themselves */
    public ClusterController(Database db, TaskDispatcher tasks, ClusterConfig config, Clock clock,
                             boolean sweepInBackground) {
        this.db = db;
        this.tasks = tasks;
        this.config = config;
        this.clock = clock;
        this.startedAt = now();
        if (sweepInBackground) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gcp-cluster-sweep"));
            long period = Math.max(1, config.sweep_seconds());
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.SECONDS);
        } else {
            sweeper = null;
        }
    }

    @Deactivate
    void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    @Override
    public void handle(WorkerReport report) {
        // Answers to requests first: the caller is waiting, and they need no database.
        for (WorkerReport.InstanceReport instance : report.instances()) {
            if (instance.consoleOutput() != null && !tasks.answered(instance)) {
                LOG.debug("Dropping a late console output answer for instance {}", instance.instanceId());
            }
        }
        List<InstanceTasks.Addressed> followUps = db.inTransaction(em -> {
            WorkerNodeEntity node = Nodes.heartbeat(em, report, now());
            List<InstanceTasks.Addressed> out = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (WorkerReport.InstanceReport instance : report.instances()) {
                if (instance.consoleOutput() != null) {
                    continue; // the answer to a request (handled above), not an observation of the instance
                }
                seen.add(instance.instanceId());
                observe(em, node, instance, report.inventory(), out);
            }
            if (report.inventory()) {
                for (InstanceEntity missing : em.createQuery("SELECT i FROM InstanceEntity i WHERE i.workerNodeId = :node "
                        + "AND i.state <> 'terminated'", InstanceEntity.class).setParameter("node", node.id).getResultList()) {
                    // Only a worker with a driver for the instance's image format can tell that it is missing.
                    if (!seen.contains(missing.id) && report.capabilities().contains(imageFormatCapability(em, missing))) {
                        observe(em, node, new WorkerReport.InstanceReport(missing.id, null, null, null), true, out);
                    }
                }
            }
            em.flush();
            return out;
        });
        tasks.send(followUps);
    }

    /** Moves one instance according to what its worker saw. */
    private void observe(EntityManager em, WorkerNodeEntity node, WorkerReport.InstanceReport seen, boolean inventory,
                         List<InstanceTasks.Addressed> out) {
        InstanceEntity row = em.find(InstanceEntity.class, seen.instanceId(), LockModeType.PESSIMISTIC_WRITE);
        boolean present = seen.status() != null;
        if (row == null || "terminated".equals(row.state) || !node.id.equals(row.workerNodeId)) {
            if (present) { // an orphan: nothing in the database wants it on this worker
                LOG.info("Removing orphaned instance {} from worker {}", seen.instanceId(), node.hostname);
                out.add(new InstanceTasks.Addressed(node.hostname, new WorkerTask(Database.newId(), seen.instanceId(),
                        WorkerTask.Action.TERMINATE, null)));
            }
            return;
        }
        var next = InstanceTransitions.next(row, seen, inventory, everRan(em, row.id));
        if (next.terminate()) {
            Termination.complete(em, row, next.reason(), now());
            return;
        }
        if (next.state() != null) {
            InstanceRows.transition(em, row, next.state(), next.reason());
        }
        if (next.desiredState() != null) {
            row.desiredState = next.desiredState();
        }
        if (next.resend()) {
            out.add(InstanceTasks.forDesiredState(em, row, now()));
        }
    }

    private static String imageFormatCapability(EntityManager em, InstanceEntity row) {
        ImageEntity image = row.imageId == null ? null : em.find(ImageEntity.class, row.imageId);
        return image == null ? "" : ComputeDriver.IMAGE_FORMAT + image.format;
    }

    private static boolean everRan(EntityManager em, String instanceId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM instance_events WHERE instance_id = ? "
                + "AND state = 'running'").setParameter(1, instanceId).getSingleResult()).longValue() > 0;
    }

    /** One sweep: silent workers down, unanswered tasks resent, old terminated instances forgotten. */
    public void sweep() {
        List<InstanceTasks.Addressed> resends = db.inTransaction(em -> {
            OffsetDateTime now = now();
            OffsetDateTime cutoff = now.minusSeconds(config.node_timeout_seconds());
            if (cutoff.isAfter(startedAt)) {
                Nodes.markSilentDown(em, cutoff);
            }
            List<InstanceTasks.Addressed> out = new ArrayList<>();
            for (InstanceEntity row : em.createQuery("SELECT i FROM InstanceEntity i WHERE i.state IN "
                            + "('pending', 'stopping', 'shutting-down') AND (i.taskSentAt IS NULL OR i.taskSentAt < :due)",
                    InstanceEntity.class).setParameter("due", now.minusSeconds(config.task_resend_seconds()))
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
                InstanceTasks.Addressed task = InstanceTasks.forDesiredState(em, row, now);
                if (task != null) {
                    out.add(task);
                }
            }
            em.createNativeQuery("DELETE FROM instances WHERE state = 'terminated' AND terminated_at < ?")
                    .setParameter(1, now.minusMinutes(config.terminated_retention_minutes())).executeUpdate();
            em.flush();
            return out;
        });
        tasks.send(resends);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Cluster sweep failed: {}", e.toString());
        }
    }

    private OffsetDateTime now() {
        return utcMicros(clock);
    }

    /** The clock's now in UTC at the microsecond precision both databases store. */
    static OffsetDateTime utcMicros(Clock clock) {
        return OffsetDateTime.now(clock).withOffsetSameInstant(java.time.ZoneOffset.UTC)
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
