package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "security_groups")
public class SecurityGroupEntity implements Timestamped {
    @Id
    public String id;
    public String name;
    public String description;
    @Column(name = "vpc_id")
    public String vpcId;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "is_default")
    public boolean isDefault;
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
