package io.goncloud.core.compute;

import io.goncloud.api.model.InstanceState;
import io.goncloud.core.persistence.InstanceEntity;
import io.goncloud.core.persistence.InstanceTypeEntity;

import javax.persistence.EntityManager;

/** What a terminated instance gives back: its addresses and its room on the worker. */
final class Termination {

    private Termination() {
    }

    static void complete(EntityManager em, InstanceEntity row, String reason, java.time.OffsetDateTime now) {
        InstanceRows.transition(em, row, InstanceState.TERMINATED.value(), reason);
        row.desiredState = "terminated";
        row.terminatedAt = now;
        PrivateAddresses.release(em, row.id);
        em.createNativeQuery("DELETE FROM public_ips WHERE instance_id = ? AND kind = 'auto'").setParameter(1, row.id)
                .executeUpdate();
        em.createNativeQuery("UPDATE public_ips SET instance_id = NULL WHERE instance_id = ?").setParameter(1, row.id)
                .executeUpdate();
        row.publicIp = null;
        InstanceTypeEntity type = row.instanceType == null ? null : em.find(InstanceTypeEntity.class, row.instanceType);
        if (type != null) {
            Placement.release(em, row.workerNodeId, type.cpu, type.memory);
        }
        row.workerNodeId = null;
    }
}
