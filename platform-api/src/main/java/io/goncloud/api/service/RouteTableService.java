package io.goncloud.api.service;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Route;
import io.goncloud.api.model.RouteTable;

/**
 * Route tables, their routes and their subnet associations, with EC2 semantics. All methods are
 * scoped to the caller (the owner of the table's VPC).
 */
public interface RouteTableService {

    /** @param vpcId only this VPC's tables, or all the caller's when {@code null} */
    Page<RouteTable> list(Caller caller, String vpcId, PageRequest page);

    /** A new table holding only the local route. */
    RouteTable create(Caller caller, CreateRouteTable request);

    RouteTable get(Caller caller, String routeTableId);

    /** {@code CannotDelete} for the main table, {@code DependencyViolation} while subnets are associated. */
    void delete(Caller caller, String routeTableId);

    /**
     * Adds a route. {@code RouteAlreadyExists} when the table has one for the destination (the local route
     * included); an {@code igw} target must be an internet gateway attached to the table's VPC, an
     * {@code instance} target an instance in that VPC.
     */
    Route createRoute(Caller caller, String routeTableId, CreateRoute request);

    /** Removes the route for this destination; the local route cannot be removed. */
    void deleteRoute(Caller caller, String routeTableId, String destinationCidr);

    /**
     * Makes the subnet (of the same VPC) use this table, moving it from the table it was associated
     * with; associating it with the table it already uses changes nothing.
     */
    RouteTable associate(Caller caller, String routeTableId, String subnetId);

    /** Ends the subnet's explicit association with this table; it then uses the main table. */
    void disassociate(Caller caller, String routeTableId, String subnetId);

    /** @param name optional; empty when {@code null} */
    record CreateRouteTable(String vpcId, String name) {
    }

    /** @param targetType {@code igw}, {@code nat} or {@code instance} */
    record CreateRoute(String destinationCidr, String targetType, String targetId) {
    }

    record Associate(String subnetId) {
    }
}
