package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "worker_nodes")
public class WorkerNodeEntity implements Timestamped {
    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String DRAINING = "draining";

    @Id
    public String id;
    public String hostname;
    public String address;
    /** Where other hosts' tunnels to this worker end; null when it reported none. */
    @Column(name = "underlay_address")
    public String underlayAddress;
    public String state;
    @Column(name = "cpu_total")
    public int cpuTotal;
    @Column(name = "memory_total_mib")
    public int memoryTotalMib;
    @Column(name = "disk_total_gib")
    public int diskTotalGib;
    @Column(name = "cpu_allocated")
    public int cpuAllocated;
    @Column(name = "memory_allocated_mib")
    public int memoryAllocatedMib;
    /** The node's capabilities, comma-separated. */
    public String drivers;
    @Column(name = "last_heartbeat_at")
    public OffsetDateTime lastHeartbeatAt;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Override
    public String id() {
        return id;
    }

    @Override
    public OffsetDateTime createdAt() {
        return createdAt;
    }
}
