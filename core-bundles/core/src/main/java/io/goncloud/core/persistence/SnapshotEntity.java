package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "snapshots")
public class SnapshotEntity implements Timestamped {
    @Id
    public String id;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "volume_id")
    public String volumeId;
    @Column(name = "volume_size_gib")
    public int volumeSizeGib;
    public String description;
    public String state;
    @Column(name = "state_reason")
    public String stateReason;
    @Column(name = "host_id")
    public String hostId;
    public String pool;
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
