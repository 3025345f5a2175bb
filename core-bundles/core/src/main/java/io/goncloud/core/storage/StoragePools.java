package io.goncloud.core.storage;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.spi.storage.StoragePool;

import javax.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The storage pools hosts report, and the choice of where a new volume goes. A pool's room is its capacity less the
 * sizes of the volumes placed in it (volumes are provisioned whole, even where the driver makes them sparse).
 */
final class StoragePools {

    static final long GIB = 1L << 30;

    /** A pool not reported for this long (its agent stopped) gets no new volumes. */
    static final long FRESH_SECONDS = 120;

    /** Where a volume goes. */
    record Placement(String hostId, String pool) {
    }

    private StoragePools() {
    }

    /** How often an unchanged pool's report is renewed: well within {@link #FRESH_SECONDS}. */
    static final long RENEW_SECONDS = FRESH_SECONDS / 2;

    /**
     * Replaces what the host reported before, when it differs or is getting old (with {@code write}).
     *
     * @return whether the rows differ or need renewing
     */
    static boolean report(EntityManager em, String hostId, List<StoragePool> pools, OffsetDateTime now,
                          boolean write) {
        List<?> rows = em.createNativeQuery("SELECT name, location, capacity_bytes, free_bytes, detail, reported_at "
                + "FROM storage_pools WHERE host_id = ? ORDER BY name").setParameter(1, hostId).getResultList();
        List<String> before = new java.util.ArrayList<>();
        boolean stale = false;
        for (Object row : rows) {
            Object[] cols = (Object[]) row;
            before.add(cols[0] + "|" + cols[1] + "|" + ((Number) cols[2]).longValue() + "|"
                    + ((Number) cols[3]).longValue() + "|" + cols[4]);
            stale |= reportedAt(cols[5]).isBefore(now.minusSeconds(RENEW_SECONDS));
        }
        List<String> after = pools.stream().sorted(java.util.Comparator.comparing(StoragePool::name))
                .map(p -> p.name() + "|" + p.location() + "|" + p.capacityBytes() + "|" + p.freeBytes() + "|"
                        + truncate(p.detail())).toList();
        if (!stale && before.equals(after)) {
            return false;
        }
        if (write) {
            em.createNativeQuery("DELETE FROM storage_pools WHERE host_id = ?").setParameter(1, hostId).executeUpdate();
            for (StoragePool pool : pools) {
                em.createNativeQuery("INSERT INTO storage_pools (host_id, name, location, capacity_bytes, free_bytes, "
                                + "detail, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .setParameter(1, hostId).setParameter(2, pool.name()).setParameter(3, pool.location())
                        .setParameter(4, pool.capacityBytes()).setParameter(5, pool.freeBytes())
                        .setParameter(6, truncate(pool.detail())).setParameter(7, now).executeUpdate();
            }
        }
        return true;
    }

    /** A timestamp column as the JDBC driver returns it (H2 and PostgreSQL differ). */
    private static OffsetDateTime reportedAt(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.Instant t) {
            return t.atOffset(java.time.ZoneOffset.UTC);
        }
        return OffsetDateTime.MIN; // unknown: renew
    }

    /**
     * The fresh pool with the most room for {@code sizeGib}, locked until the transaction ends so that concurrent
     * creations cannot both take its last GiB; {@code InsufficientVolumeCapacity} when none has room.
     */
    static Placement place(EntityManager em, int sizeGib, OffsetDateTime now) {
        List<?> candidates = em.createNativeQuery("SELECT p.host_id, p.name FROM storage_pools p WHERE p.reported_at > ? "
                        + "ORDER BY p.capacity_bytes - (SELECT COALESCE(SUM(v.size_gib), 0) FROM volumes v "
                        + "WHERE v.host_id = p.host_id AND v.pool = p.name AND v.state <> 'deleted') * ? DESC, "
                        + "p.host_id, p.name")
                .setParameter(1, now.minusSeconds(FRESH_SECONDS)).setParameter(2, GIB).getResultList();
        for (Object candidate : candidates) {
            Object[] cols = (Object[]) candidate;
            Placement placement = new Placement((String) cols[0], (String) cols[1]);
            if (roomAfterLocking(em, placement) >= sizeGib * GIB) {
                return placement;
            }
        }
        throw new GcpException(ErrorCode.INSUFFICIENT_VOLUME_CAPACITY, candidates.isEmpty()
                ? "No worker offers block storage now (no storage agent has reported a pool)"
                : "No storage pool has room for " + sizeGib + " GiB now");
    }

    /**
     * Refuses unless the given pool has room for {@code sizeGib} more.
     *
     * @param whose what the pool holds that binds the volume to it, for the message
     */
    static void requireRoom(EntityManager em, Placement placement, int sizeGib, String whose) {
        if (roomAfterLocking(em, placement) < sizeGib * GIB) {
            throw new GcpException(ErrorCode.INSUFFICIENT_VOLUME_CAPACITY, "The storage pool holding " + whose
                    + " has no room for " + sizeGib + " GiB more now");
        }
    }

    /** The pool's room in bytes, with its row locked; negative when the pool is gone. */
    private static long roomAfterLocking(EntityManager em, Placement placement) {
        List<?> capacity = em.createNativeQuery("SELECT capacity_bytes FROM storage_pools WHERE host_id = ? AND name = ? "
                + "FOR UPDATE").setParameter(1, placement.hostId()).setParameter(2, placement.pool()).getResultList();
        if (capacity.isEmpty()) {
            return -1;
        }
        long provisioned = ((Number) em.createNativeQuery("SELECT COALESCE(SUM(size_gib), 0) FROM volumes WHERE host_id = ? "
                        + "AND pool = ? AND state <> 'deleted'").setParameter(1, placement.hostId())
                .setParameter(2, placement.pool()).getSingleResult()).longValue() * GIB;
        return ((Number) capacity.get(0)).longValue() - provisioned;
    }

    private static String truncate(String detail) {
        return detail == null || detail.length() <= 1024 ? detail : detail.substring(0, 1024);
    }
}
