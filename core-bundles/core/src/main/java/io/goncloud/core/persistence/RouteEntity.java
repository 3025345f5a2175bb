package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "routes")
public class RouteEntity {
    @Id
    public String id;
    @Column(name = "route_table_id")
    public String routeTableId;
    @Column(name = "destination_cidr")
    public String destinationCidr;
    @Column(name = "target_type")
    public String targetType;
    @Column(name = "target_id")
    public String targetId;
    public int priority;
}
