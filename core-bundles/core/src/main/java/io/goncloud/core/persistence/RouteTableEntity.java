package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "route_tables")
public class RouteTableEntity implements Timestamped {
    @Id
    public String id;
    @Column(name = "vpc_id")
    public String vpcId;
    public String name;
    @Column(name = "is_main")
    public boolean main;
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
