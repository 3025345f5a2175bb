package io.goncloud.core.compute;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.core.persistence.WorkerNodeEntity;

import javax.persistence.EntityManager;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The scheduler: puts an instance on an up worker that boots its image format and has room for its type,
 * preferring the emptiest ({@link Strategy#SPREAD}) or the fullest that still fits ({@link Strategy#BINPACK}).
 * Capacity is reserved with a guarded UPDATE, so concurrent launches never overcommit a node: the database
 * re-checks the guard against the committed row.
 */
final class Placement {

    /** Which of the workers with room an instance goes to. */
    enum Strategy {
        /** The least loaded: instances spread over all workers (the default). */
        SPREAD,
        /** The most loaded that has room: workers fill one after another, leaving others empty (to drain, power off). */
        BINPACK;

        /** @throws IllegalArgumentException naming the accepted values */
        static Strategy of(String name) {
            String wanted = name == null || name.isBlank() ? "spread" : name.strip();
            for (Strategy strategy : values()) {
                if (strategy.name().equalsIgnoreCase(wanted)) {
                    return strategy;
                }
            }
            throw new IllegalArgumentException("placement must be spread or binpack, not '" + name + "'");
        }
    }

    private Placement() {
    }

    /** Reserves room on a worker and returns it; {@code InsufficientInstanceCapacity} when none has room. */
    static WorkerNodeEntity place(EntityManager em, Strategy strategy, String imageFormat, int vcpus, int memoryMiB,
                                  java.time.OffsetDateTime freshSince) {
        Comparator<WorkerNodeEntity> emptiestFirst = Comparator.comparingDouble(Placement::load);
        String capability = ComputeDriver.IMAGE_FORMAT + imageFormat;
        List<WorkerNodeEntity> candidates = em.createQuery("SELECT n FROM WorkerNodeEntity n WHERE n.state = :up "
                        + "AND n.lastHeartbeatAt >= :fresh", WorkerNodeEntity.class)
                .setParameter("up", WorkerNodeEntity.UP).setParameter("fresh", freshSince).getResultList()
                .stream()
                .filter(n -> capabilities(n).contains(capability))
                .sorted((strategy == Strategy.BINPACK ? emptiestFirst.reversed() : emptiestFirst)
                        .thenComparing(n -> n.hostname))
                .toList();
        for (WorkerNodeEntity node : candidates) {
            int reserved = em.createNativeQuery("UPDATE worker_nodes SET cpu_allocated = cpu_allocated + ?, "
                            + "memory_allocated_mib = memory_allocated_mib + ? WHERE id = ? AND state = 'up' "
                            + "AND cpu_allocated + ? <= cpu_total AND memory_allocated_mib + ? <= memory_total_mib")
                    .setParameter(1, vcpus).setParameter(2, memoryMiB).setParameter(3, node.id)
                    .setParameter(4, vcpus).setParameter(5, memoryMiB).executeUpdate();
            if (reserved == 1) {
                em.refresh(node);
                return node;
            }
        }
        throw new GcpException(ErrorCode.INSUFFICIENT_CAPACITY, candidates.isEmpty()
                ? "No worker node is up that can boot images of format '" + imageFormat + "'"
                : "No worker node has room for " + vcpus + " vCPU(s) and " + memoryMiB + " MiB now; "
                + "try a smaller instance type or later");
    }

    /** Gives the room an instance held back to its node. */
    static void release(EntityManager em, String nodeId, int vcpus, int memoryMiB) {
        if (nodeId == null) {
            return;
        }
        em.createNativeQuery("UPDATE worker_nodes SET cpu_allocated = GREATEST(0, cpu_allocated - ?), "
                        + "memory_allocated_mib = GREATEST(0, memory_allocated_mib - ?) WHERE id = ?")
                .setParameter(1, vcpus).setParameter(2, memoryMiB).setParameter(3, nodeId).executeUpdate();
    }

    static List<String> capabilities(WorkerNodeEntity node) {
        return node.drivers == null || node.drivers.isBlank() ? List.of()
                : Arrays.stream(node.drivers.split(",")).map(String::strip).toList();
    }

    private static double load(WorkerNodeEntity n) {
        double memory = n.memoryTotalMib == 0 ? 1 : (double) n.memoryAllocatedMib / n.memoryTotalMib;
        double cpu = n.cpuTotal == 0 ? 1 : (double) n.cpuAllocated / n.cpuTotal;
        return Math.max(memory, cpu);
    }
}
