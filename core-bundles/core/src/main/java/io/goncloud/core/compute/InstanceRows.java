package io.goncloud.core.compute;

import io.goncloud.api.model.Instance;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.InstanceEntity;

import javax.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes what belongs to an instance row: its groups, tags, VPC and state history. */
final class InstanceRows {

    private InstanceRows() {
    }

    static List<Instance> toModels(EntityManager em, List<InstanceEntity> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(r -> r.id).toList();
        Map<String, List<String>> groups = new HashMap<>();
        for (Object[] cols : pairs(em, "SELECT CAST(instance_id AS VARCHAR(36)), CAST(security_group_id AS VARCHAR(36)) "
                + "FROM instance_security_groups WHERE instance_id IN (" + placeholders(ids.size()) + ") "
                + "ORDER BY security_group_id", ids)) {
            groups.computeIfAbsent((String) cols[0], k -> new ArrayList<>()).add((String) cols[1]);
        }
        Map<String, Map<String, String>> tags = new HashMap<>();
        for (Object[] cols : pairs(em, "SELECT CAST(instance_id AS VARCHAR(36)), \"key\", \"value\" FROM instance_tags "
                + "WHERE instance_id IN (" + placeholders(ids.size()) + ")", ids)) {
            tags.computeIfAbsent((String) cols[0], k -> new TreeMap<>()).put((String) cols[1], (String) cols[2]);
        }
        Map<String, String> vpcs = new HashMap<>();
        for (Object[] cols : pairs(em, "SELECT CAST(i.id AS VARCHAR(36)), CAST(s.vpc_id AS VARCHAR(36)) FROM instances i "
                + "JOIN subnets s ON s.id = i.subnet_id WHERE i.id IN (" + placeholders(ids.size()) + ")", ids)) {
            vpcs.put((String) cols[0], (String) cols[1]);
        }
        return rows.stream().map(r -> new Instance(r.id, r.name, r.instanceType, r.imageId, vpcs.get(r.id), r.subnetId,
                r.privateIp, r.publicIp, r.state, r.stateReason, r.workerNodeId, r.keyPair,
                groups.getOrDefault(r.id, List.of()), tags.getOrDefault(r.id, Map.of()), r.createdAt.toInstant(),
                r.updatedAt.toInstant())).toList();
    }

    static Instance toModel(EntityManager em, InstanceEntity row) {
        return toModels(em, List.of(row)).get(0);
    }

    static List<String> securityGroups(EntityManager em, String instanceId) {
        return em.createNativeQuery("SELECT CAST(security_group_id AS VARCHAR(36)) FROM instance_security_groups "
                + "WHERE instance_id = ? ORDER BY security_group_id").setParameter(1, instanceId).getResultList()
                .stream().map(String.class::cast).toList();
    }

    static void setSecurityGroups(EntityManager em, String instanceId, List<String> groupIds) {
        em.createNativeQuery("DELETE FROM instance_security_groups WHERE instance_id = ?").setParameter(1, instanceId)
                .executeUpdate();
        for (String group : groupIds) {
            em.createNativeQuery("INSERT INTO instance_security_groups (instance_id, security_group_id) VALUES (?, ?)")
                    .setParameter(1, instanceId).setParameter(2, group).executeUpdate();
        }
    }

    static void setTags(EntityManager em, String instanceId, Map<String, String> tags) {
        em.createNativeQuery("DELETE FROM instance_tags WHERE instance_id = ?").setParameter(1, instanceId)
                .executeUpdate();
        for (Map.Entry<String, String> tag : new LinkedHashMap<>(tags).entrySet()) {
            em.createNativeQuery("INSERT INTO instance_tags (instance_id, \"key\", \"value\") VALUES (?, ?, ?)")
                    .setParameter(1, instanceId).setParameter(2, tag.getKey()).setParameter(3, tag.getValue())
                    .executeUpdate();
        }
    }

    /** Moves the instance to {@code state} (recording it in its history) if it is not there already. */
    static void transition(EntityManager em, InstanceEntity row, String state, String reason) {
        boolean changed = !state.equals(row.state) || !java.util.Objects.equals(reason, row.stateReason);
        if (!changed) {
            return;
        }
        OffsetDateTime now = Database.now();
        row.state = state;
        row.stateReason = reason;
        row.updatedAt = now.isAfter(row.updatedAt) ? now : row.updatedAt.plusNanos(1000);
        em.createNativeQuery("INSERT INTO instance_events (id, instance_id, state, reason, created_at) VALUES (?, ?, ?, ?, ?)")
                .setParameter(1, Database.newId()).setParameter(2, row.id).setParameter(3, state)
                .setParameter(4, reason).setParameter(5, now).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> pairs(EntityManager em, String sql, List<String> ids) {
        var query = em.createNativeQuery(sql);
        for (int i = 0; i < ids.size(); i++) {
            query.setParameter(i + 1, ids.get(i));
        }
        return (List<Object[]>) query.getResultList();
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
