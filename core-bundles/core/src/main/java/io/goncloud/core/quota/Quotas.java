package io.goncloud.core.quota;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.core.persistence.UserEntity;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.util.List;
import java.util.Locale;

/**
 * A tenant's limits, checked inside the transaction that would create something: the tenant's user row is
 * locked first, so that two concurrent creations cannot both take the last unit, and a refusal leaves nothing.
 */
public final class Quotas {

    /** What is limited, how usage is counted, and the code a refusal answers with. */
    public enum Resource {
        INSTANCES(ErrorCode.INSTANCE_LIMIT_EXCEEDED, "instances",
                "SELECT COUNT(*) FROM instances WHERE user_id = ? AND state <> 'terminated'"),
        VCPUS(ErrorCode.VCPU_LIMIT_EXCEEDED, "vCPUs", "SELECT COALESCE(SUM(t.cpu), 0) FROM instances i "
                + "JOIN instance_types t ON t.name = i.instance_type WHERE i.user_id = ? AND i.state <> 'terminated'"),
        MEMORY_MIB(ErrorCode.MEMORY_LIMIT_EXCEEDED, "MiB of instance memory", "SELECT COALESCE(SUM(t.memory), 0) "
                + "FROM instances i JOIN instance_types t ON t.name = i.instance_type WHERE i.user_id = ? "
                + "AND i.state <> 'terminated'"),
        VPCS(ErrorCode.VPC_LIMIT_EXCEEDED, "VPCs", "SELECT COUNT(*) FROM vpcs WHERE user_id = ?"),
        ELASTIC_IPS(ErrorCode.ELASTIC_IP_LIMIT_EXCEEDED, "elastic IPs",
                "SELECT COUNT(*) FROM public_ips WHERE user_id = ? AND kind = 'elastic'"),
        SECURITY_GROUPS(ErrorCode.SECURITY_GROUP_LIMIT_EXCEEDED, "security groups",
                "SELECT COUNT(*) FROM security_groups WHERE user_id = ?"),
        /** Per group: usage is the fullest group's rule count. */
        RULES_PER_SECURITY_GROUP(ErrorCode.RULES_LIMIT_EXCEEDED, "rules in one security group",
                "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(r.id) AS n FROM security_groups g "
                        + "JOIN security_group_rules r ON r.security_group_id = g.id WHERE g.user_id = ? "
                        + "GROUP BY g.id) counts"),
        VOLUMES(ErrorCode.VOLUME_LIMIT_EXCEEDED, "volumes",
                "SELECT COUNT(*) FROM volumes WHERE user_id = ? AND state NOT IN ('deleting', 'deleted')"),
        VOLUME_GIB(ErrorCode.VOLUME_LIMIT_EXCEEDED, "GiB of volumes", "SELECT COALESCE(SUM(size_gib), 0) FROM volumes "
                + "WHERE user_id = ? AND state NOT IN ('deleting', 'deleted')");

        private final ErrorCode refusal;
        private final String words;
        private final String usageQuery;

        Resource(ErrorCode refusal, String words, String usageQuery) {
            this.refusal = refusal;
            this.words = words;
            this.usageQuery = usageQuery;
        }

        /** The name in the API: {@code memory_mib}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Resource fromWireName(String name) {
            for (Resource r : values()) {
                if (r.wireName().equals(name)) {
                    return r;
                }
            }
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "'" + name + "' is not a quota; quotas are "
                    + String.join(", ", List.of(values()).stream().map(Resource::wireName).toList()));
        }
    }

    private Quotas() {
    }

    /**
     * Refuses with the resource's code unless {@code owner} may hold {@code adding} more on top of what it holds.
     * Locks the owner's row until the transaction ends.
     */
    public static void require(EntityManager em, String owner, Resource resource, long adding) {
        lockOwner(em, owner);
        check(resource, usage(em, owner, resource), adding, limit(em, owner, resource));
    }

    /** A launch's three checks (instances, vCPUs, memory) under one lock of the owner's row. */
    public static void requireLaunch(EntityManager em, String owner, int vcpus, int memoryMiB) {
        lockOwner(em, owner);
        check(Resource.INSTANCES, usage(em, owner, Resource.INSTANCES), 1, limit(em, owner, Resource.INSTANCES));
        check(Resource.VCPUS, usage(em, owner, Resource.VCPUS), vcpus, limit(em, owner, Resource.VCPUS));
        check(Resource.MEMORY_MIB, usage(em, owner, Resource.MEMORY_MIB), memoryMiB,
                limit(em, owner, Resource.MEMORY_MIB));
    }

    /** A new volume's two checks (count and GiB) under one lock of the owner's row. */
    public static void requireVolume(EntityManager em, String owner, int sizeGib) {
        lockOwner(em, owner);
        check(Resource.VOLUMES, usage(em, owner, Resource.VOLUMES), 1, limit(em, owner, Resource.VOLUMES));
        check(Resource.VOLUME_GIB, usage(em, owner, Resource.VOLUME_GIB), sizeGib,
                limit(em, owner, Resource.VOLUME_GIB));
    }

    /** A volume growing by {@code addingGib}. */
    public static void requireVolumeGib(EntityManager em, String owner, int addingGib) {
        lockOwner(em, owner);
        check(Resource.VOLUME_GIB, usage(em, owner, Resource.VOLUME_GIB), addingGib,
                limit(em, owner, Resource.VOLUME_GIB));
    }

    /** The same for one security group's rules: {@code inGroup} is the group's rule count now. */
    public static void requireRuleRoom(EntityManager em, String owner, long inGroup) {
        lockOwner(em, owner);
        check(Resource.RULES_PER_SECURITY_GROUP, inGroup, 1, limit(em, owner, Resource.RULES_PER_SECURITY_GROUP));
    }

    private static void check(Resource resource, long usage, long adding, long limit) {
        if (usage + adding > limit) {
            throw new GcpException(resource.refusal, "The quota of " + limit + " " + resource.words + " would be "
                    + "exceeded (" + usage + " in use, " + adding + " more asked for); ask an administrator to raise "
                    + "quota " + resource.wireName());
        }
    }

    /** Locks the tenant's row: take it before any VPC lock of the same transaction (the order every caller keeps). */
    public static void lockOwner(EntityManager em, String owner) {
        if (owner != null) {
            em.find(UserEntity.class, owner, LockModeType.PESSIMISTIC_WRITE);
        }
    }

    public static long usage(EntityManager em, String owner, Resource resource) {
        return ((Number) em.createNativeQuery(resource.usageQuery).setParameter(1, owner).getSingleResult()).longValue();
    }

    /** The tenant's own limit for the resource, else the cloud's default. */
    public static long limit(EntityManager em, String owner, Resource resource) {
        Long own = override(em, owner, resource);
        return own != null ? own : defaultLimit(em, resource);
    }

    static Long override(EntityManager em, String owner, Resource resource) {
        List<?> rows = em.createNativeQuery("SELECT max_value FROM quota_overrides WHERE user_id = ? AND resource = ?")
                .setParameter(1, owner).setParameter(2, resource.wireName()).getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).longValue();
    }

    static long defaultLimit(EntityManager em, Resource resource) {
        List<?> rows = em.createNativeQuery("SELECT max_value FROM quota_defaults WHERE resource = ?")
                .setParameter(1, resource.wireName()).getResultList();
        return rows.isEmpty() ? Long.MAX_VALUE : ((Number) rows.get(0)).longValue();
    }
}
