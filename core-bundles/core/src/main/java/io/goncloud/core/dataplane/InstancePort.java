package io.goncloud.core.dataplane;

import javax.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance's network port as the data plane sees it: one NIC per instance for now, identified by
 * the instance id. Instances hold their port from launch until they are terminated.
 *
 * @param hostId the host id (worker node host name) of the instance's worker; null when it has none
 */
public record InstancePort(String instanceId, String subnetId, String privateIp, String macAddress,
                    List<String> securityGroupIds, String hostId) {

    static List<InstancePort> all(EntityManager em) {
        Map<String, List<String>> groups = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT CAST(instance_id AS VARCHAR(36)), "
                + "CAST(security_group_id AS VARCHAR(36)) FROM instance_security_groups "
                + "ORDER BY security_group_id").getResultList()) {
            Object[] cols = (Object[]) row;
            groups.computeIfAbsent((String) cols[0], i -> new ArrayList<>()).add((String) cols[1]);
        }
        Map<String, InstancePort> ports = new LinkedHashMap<>();
        for (Object row : em.createNativeQuery("SELECT CAST(i.id AS VARCHAR(36)), CAST(i.subnet_id AS VARCHAR(36)), "
                + "i.private_ip, n.hostname FROM instances i LEFT JOIN worker_nodes n ON n.id = i.worker_node_id "
                + "WHERE i.state <> 'terminated' AND i.subnet_id IS NOT NULL "
                + "ORDER BY i.created_at, i.id").getResultList()) {
            Object[] cols = (Object[]) row;
            String id = (String) cols[0];
            ports.put(id, new InstancePort(id, (String) cols[1], (String) cols[2], macAddress(id),
                    List.copyOf(groups.getOrDefault(id, List.of())), (String) cols[3]));
        }
        return List.copyOf(ports.values());
    }

    /** A stable, locally administered unicast MAC address derived from the instance id. */
    public static String macAddress(String instanceId) {
        String hex = instanceId.replace("-", "");
        StringBuilder mac = new StringBuilder("02");
        for (int i = 0; i < 10; i += 2) {
            mac.append(':').append(hex, i, i + 2);
        }
        return mac.toString();
    }
}
