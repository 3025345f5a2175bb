package io.goncloud.core.vpc;

import io.goncloud.core.persistence.Database;

import javax.persistence.EntityManager;
import java.util.List;

/**
 * What the networking services need to know about instances, read straight from the {@code instances}
 * table (the instance service owns those rows).
 */
final class Instances {

    static final String TERMINATED = "terminated";

    private Instances() {
    }

    /** @param vpcId the VPC of the instance's subnet, or {@code null} if it has none */
    record Row(String id, String userId, String vpcId, String state) {
        boolean terminated() {
            return TERMINATED.equals(state);
        }
    }

    /** The instance with this (well-formed) id, or {@code null}. */
    static Row find(EntityManager em, String instanceId) {
        List<?> rows = em.createNativeQuery("SELECT CAST(i.id AS VARCHAR(36)), CAST(i.user_id AS VARCHAR(36)), "
                        + "CAST(s.vpc_id AS VARCHAR(36)), i.state FROM instances i LEFT JOIN subnets s ON s.id = i.subnet_id "
                        + "WHERE i.id = ?")
                .setParameter(1, instanceId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] cols = (Object[]) rows.get(0);
        return new Row((String) cols[0], (String) cols[1], (String) cols[2], (String) cols[3]);
    }

    /** Sets (or with {@code null} clears) the instance's public address as the instance service reports it. */
    static void setPublicIp(EntityManager em, String instanceId, String address) {
        em.createNativeQuery("UPDATE instances SET public_ip = ?, updated_at = ? WHERE id = ?")
                .setParameter(1, address)
                .setParameter(2, Database.now())
                .setParameter(3, instanceId)
                .executeUpdate();
    }
}
