package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "internet_gateways")
public class InternetGatewayEntity implements Timestamped {
    @Id
    public String id;
    @Column(name = "vpc_id")
    public String vpcId;
    @Column(name = "user_id")
    public String userId;
    public String name;
    public String state;
    /** The router's address on the provider network while attached; from the public pool. */
    @Column(name = "uplink_address")
    public String uplinkAddress;
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
