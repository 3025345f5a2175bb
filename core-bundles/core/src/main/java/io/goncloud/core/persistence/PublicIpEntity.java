package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

/** An address of the operator's public pool in use: an elastic IP, or one assigned at launch ({@code auto}). */
@Entity
@Table(name = "public_ips")
public class PublicIpEntity implements Timestamped {
    public static final String ELASTIC = "elastic";
    public static final String AUTO = "auto";

    @Id
    public String id;
    public String address;
    public String kind;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "instance_id")
    public String instanceId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Override
    public String id() {
        return id;
    }

    @Override
    public OffsetDateTime createdAt() {
        return createdAt;
    }
}
