package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "subnets")
public class SubnetEntity implements Timestamped {
    @Id
    public String id;
    @Column(name = "vpc_id")
    public String vpcId;
    public String name;
    @Column(name = "cidr_block")
    public String cidrBlock;
    @Column(name = "availability_zone")
    public String availabilityZone;
    @Column(name = "is_public")
    public boolean isPublic;
    @Column(name = "map_public_ip_on_launch")
    public boolean mapPublicIpOnLaunch;
    public String state;
    /** The segment's tunnel id, numbered by the database on insert (never written from here). */
    @Column(name = "vni", insertable = false, updatable = false)
    public Integer vni;
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
