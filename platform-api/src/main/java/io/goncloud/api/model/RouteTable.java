package io.goncloud.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A VPC's route table. Every VPC has one main table, made with it, that serves each subnet without an
 * explicit association; a subnet is explicitly associated with at most one table.
 *
 * @param isMain    whether this is the VPC's main table (it cannot be deleted)
 * @param routes    the table's routes, the local route first, then by destination
 * @param subnetIds the subnets explicitly associated with this table
 */
public record RouteTable(String id, String vpcId, String name, boolean isMain, List<Route> routes,
                         List<String> subnetIds, Instant createdAt, Instant updatedAt) {

    public RouteTable {
        routes = List.copyOf(routes);
        subnetIds = List.copyOf(subnetIds);
    }
}
