package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "instances")
public class InstanceEntity implements Timestamped {
    @Id
    public String id;
    public String name;
    @Column(name = "instance_type")
    public String instanceType;
    @Column(name = "image_id")
    public String imageId;
    @Column(name = "subnet_id")
    public String subnetId;
    @Column(name = "private_ip")
    public String privateIp;
    @Column(name = "public_ip")
    public String publicIp;
    public String state;
    @Column(name = "state_reason")
    public String stateReason;
    @Column(name = "desired_state")
    public String desiredState;
    @Column(name = "worker_node_id")
    public String workerNodeId;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "key_pair")
    public String keyPair;
    @Column(name = "user_data")
    public String userData;
    @Column(name = "task_sent_at")
    public OffsetDateTime taskSentAt;
    @Column(name = "terminated_at")
    public OffsetDateTime terminatedAt;
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
