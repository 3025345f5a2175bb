package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "volumes")
public class VolumeEntity implements Timestamped {
    @Id
    public String id;
    @Column(name = "user_id")
    public String userId;
    public String name;
    @Column(name = "size_gib")
    public int sizeGib;
    public String state;
    @Column(name = "state_reason")
    public String stateReason;
    @Column(name = "snapshot_id")
    public String snapshotId;
    /** The host whose storage pool holds the volume. */
    @Column(name = "host_id")
    public String hostId;
    public String pool;
    @Column(name = "instance_id")
    public String instanceId;
    public String device;
    @Column(name = "attachment_state")
    public String attachmentState;
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
