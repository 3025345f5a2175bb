package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "vpcs")
public class VpcEntity implements Timestamped {
    @Id
    public String id;
    public String name;
    @Column(name = "cidr_block")
    public String cidrBlock;
    public String description;
    public String state;
    @Column(name = "user_id")
    public String userId;
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
