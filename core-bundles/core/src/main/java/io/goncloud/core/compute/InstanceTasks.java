package io.goncloud.core.compute;

import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.core.dataplane.InstancePort;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.ImageEntity;
import io.goncloud.core.persistence.InstanceEntity;
import io.goncloud.core.persistence.InstanceTypeEntity;
import io.goncloud.core.persistence.KeyPairEntity;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.WorkerNodeEntity;

import javax.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** Builds the task that brings an instance to its desired state, from the database. */
final class InstanceTasks {

    /** A task and the worker (by host id) it goes to. */
    record Addressed(String hostId, WorkerTask task) {
    }

    private InstanceTasks() {
    }

    /** The task for the instance's desired state, or {@code null} if it has no worker to go to. */
    static Addressed forDesiredState(EntityManager em, InstanceEntity row, OffsetDateTime now) {
        WorkerTask.Action action = switch (row.desiredState) {
            // A launch also starts an existing stopped instance, and re-creates one that vanished.
            case "running" -> WorkerTask.Action.LAUNCH;
            case "stopped" -> WorkerTask.Action.STOP;
            default -> WorkerTask.Action.TERMINATE;
        };
        return forAction(em, row, action, now);
    }

    static Addressed forAction(EntityManager em, InstanceEntity row, WorkerTask.Action action, OffsetDateTime now) {
        WorkerNodeEntity node = row.workerNodeId == null ? null : em.find(WorkerNodeEntity.class, row.workerNodeId);
        if (node == null) {
            return null;
        }
        row.taskSentAt = now;
        return new Addressed(node.hostname, new WorkerTask(Database.newId(), row.id, action, spec(em, row)));
    }

    static InstanceSpec spec(EntityManager em, InstanceEntity row) {
        ImageEntity image = row.imageId == null ? null : em.find(ImageEntity.class, row.imageId);
        InstanceTypeEntity type = row.instanceType == null ? null : em.find(InstanceTypeEntity.class, row.instanceType);
        SubnetEntity subnet = row.subnetId == null ? null : em.find(SubnetEntity.class, row.subnetId);
        if (image == null || type == null || subnet == null) {
            return null; // deleted under the instance: it can still be stopped and terminated
        }
        Cidr block = Cidr.parse(subnet.cidrBlock);
        InstanceSpec.NicSpec nic = new InstanceSpec.NicSpec(InstancePort.macAddress(row.id), row.privateIp,
                block.prefixLength(), block.gateway(), HostNames.instanceSide(row.id));
        List<String> keys = List.of();
        if (row.keyPair != null) {
            keys = em.createQuery("SELECT k FROM KeyPairEntity k WHERE k.userId = :owner AND k.name = :name",
                            KeyPairEntity.class).setParameter("owner", row.userId).setParameter("name", row.keyPair)
                    .getResultList().stream().map(k -> k.publicKey).toList();
        }
        return new InstanceSpec(row.id, new InstanceSpec.ImageRef(image.id, image.format, image.location), type.cpu,
                type.memory, type.storage, List.of(nic), row.userData, keys,
                Map.of("hostname", hostname(row.privateIp), "name", row.name));
    }

    /** EC2's private DNS style host name, e.g. {@code ip-10-0-1-4}. */
    static String hostname(String privateIp) {
        return "ip-" + privateIp.replace('.', '-');
    }
}
