package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

/** A subnet's explicit route table; a subnet without one uses its VPC's main table. */
@Entity
@Table(name = "route_table_associations")
public class RouteTableAssociationEntity {
    @Id
    public String id;
    @Column(name = "route_table_id")
    public String routeTableId;
    @Column(name = "subnet_id")
    public String subnetId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
