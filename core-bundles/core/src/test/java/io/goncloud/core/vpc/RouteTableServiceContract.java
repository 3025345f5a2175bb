package io.goncloud.core.vpc;

import io.goncloud.api.model.InternetGateway;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Route;
import io.goncloud.api.model.RouteTable;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.InternetGatewayService.CreateInternetGateway;
import io.goncloud.api.service.RouteTableService.CreateRoute;
import io.goncloud.api.service.RouteTableService.CreateRouteTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Route tables, routes and associations against a real database; subclasses pick which. */
abstract class RouteTableServiceContract extends NetworkingContract {

    private String attachedGateway(Vpc vpc) {
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("gw"), null);
        gateways.attach(alice, gateway.id(), vpc.id());
        return gateway.id();
    }

    private long routeCount(String tableId) {
        return count("SELECT COUNT(*) FROM routes WHERE route_table_id = ?", tableId);
    }

    @Test
    void mainTableHasTheLocalRouteAndANewTableToo() {
        Vpc vpc = vpc(alice);
        RouteTable main = routeTables.get(alice, vpc.mainRouteTableId());
        assertTrue(main.isMain());
        assertEquals(List.of(new Route(vpc.cidrBlock(), "local", null)), main.routes());
        assertEquals(List.of(), main.subnetIds());

        RouteTable table = routeTables.create(alice, new CreateRouteTable(vpc.id(), "public"));
        assertFalse(table.isMain());
        assertEquals("public", table.name());
        assertEquals(vpc.id(), table.vpcId());
        assertEquals(List.of(new Route(vpc.cidrBlock(), "local", null)), table.routes());
        assertEquals(table, routeTables.get(alice, table.id()));
        assertEquals("", routeTables.create(alice, new CreateRouteTable(vpc.id(), null)).name());

        assertEquals(3, routeTables.list(alice, vpc.id(), PageRequest.first()).items().size());
        assertEquals(3, routeTables.list(alice, null, PageRequest.first()).items().size());
        assertEquals(List.of(main.id(), table.id()), routeTables.list(alice, vpc.id(), new PageRequest(2, null))
                .items().stream().map(RouteTable::id).toList());
    }

    @Test
    void routesToAnAttachedGatewayAreAddedAndRemoved() {
        Vpc vpc = vpc(alice);
        String gateway = attachedGateway(vpc);
        RouteTable table = routeTables.create(alice, new CreateRouteTable(vpc.id(), "public"));
        Route route = routeTables.createRoute(alice, table.id(), new CreateRoute("0.0.0.0/0", "igw", gateway));
        assertEquals(new Route("0.0.0.0/0", "igw", gateway), route);
        routeTables.createRoute(alice, table.id(), new CreateRoute("192.168.0.0/16", "igw", gateway.toUpperCase()));
        RouteTable updated = routeTables.get(alice, table.id());
        assertEquals(List.of("local", "igw", "igw"), updated.routes().stream().map(Route::targetType).toList());
        assertEquals(vpc.cidrBlock(), updated.routes().get(0).destinationCidr());
        assertTrue(updated.updatedAt().isAfter(table.updatedAt()));

        routeTables.deleteRoute(alice, table.id(), "192.168.0.0/16");
        assertEquals(2, routeTables.get(alice, table.id()).routes().size());
        assertEquals("InvalidRoute.NotFound", code(() -> routeTables.deleteRoute(alice, table.id(), "192.168.0.0/16")));
        // The main table takes routes too.
        routeTables.createRoute(alice, vpc.mainRouteTableId(), new CreateRoute("0.0.0.0/0", "igw", gateway));
        assertEquals(2, routeTables.get(alice, vpc.mainRouteTableId()).routes().size());
    }

    @Test
    void duplicateDestinationsAndTheLocalRouteAreRefused() {
        Vpc vpc = vpc(alice);
        String gateway = attachedGateway(vpc);
        RouteTable table = routeTables.create(alice, new CreateRouteTable(vpc.id(), "t"));
        routeTables.createRoute(alice, table.id(), new CreateRoute("0.0.0.0/0", "igw", gateway));
        assertEquals("RouteAlreadyExists", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("0.0.0.0/0", "igw", gateway))));
        assertEquals("RouteAlreadyExists", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute(vpc.cidrBlock(), "igw", gateway))), "the local route cannot be overridden");
        String inside = vpc.cidrBlock().replace(".0.0/16", ".1.0/24");
        assertEquals("InvalidParameterValue", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute(inside, "igw", gateway))), "nor partly overridden");
        assertEquals("InvalidParameterValue", code(() -> routeTables.deleteRoute(alice, table.id(), vpc.cidrBlock())),
                "the local route cannot be removed");
        assertEquals("InvalidParameterValue", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("10.0.0.1/8", "igw", gateway))));
        assertEquals("InvalidParameterValue", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("banana", "igw", gateway))));
        assertEquals("MissingParameter", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute(null, "igw", gateway))));
        assertEquals("InvalidParameterValue", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("172.16.0.0/12", "local", gateway))));
        assertEquals("InvalidParameterValue", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("172.16.0.0/12", "vpn", gateway))));
        assertEquals("MissingParameter", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("172.16.0.0/12", "igw", null))));
        assertEquals("MissingParameter", code(() -> routeTables.deleteRoute(alice, table.id(), null)));
        assertEquals(2, routeCount(table.id()), "refused routes write nothing");
    }

    @Test
    void gatewayTargetsMustBeAttachedToTheSameVpc() {
        Vpc vpc = vpc(alice);
        Vpc other = vpc(alice);
        RouteTable table = routeTables.create(alice, new CreateRouteTable(vpc.id(), "t"));
        InternetGateway detached = gateways.create(alice, new CreateInternetGateway("spare"), null);
        assertEquals("InvalidParameterValue", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("0.0.0.0/0", "igw", detached.id()))));
        String elsewhere = attachedGateway(other);
        assertEquals("InvalidParameterValue", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("0.0.0.0/0", "igw", elsewhere))));
        assertEquals("InvalidGatewayID.NotFound", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("0.0.0.0/0", "igw", UUID.randomUUID().toString()))));
        assertEquals("InvalidGatewayID.Malformed", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("0.0.0.0/0", "igw", "igw-123"))));
        InternetGateway bobs = gateways.create(bob, new CreateInternetGateway("bob"), null);
        assertEquals("InvalidGatewayID.NotFound", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("0.0.0.0/0", "igw", bobs.id()))));
        assertEquals("InvalidNatGatewayID.NotFound", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("0.0.0.0/0", "nat", UUID.randomUUID().toString()))));
        assertEquals(1, routeCount(table.id()));
    }

    @Test
    void instanceTargetsMustBeInstancesOfTheVpc() {
        Vpc vpc = vpc(alice);
        Subnet subnet = subnet(alice, vpc, 1);
        String appliance = instance(alice, subnet, "running");
        RouteTable table = routeTables.create(alice, new CreateRouteTable(vpc.id(), "t"));
        assertEquals(new Route("172.16.0.0/12", "instance", appliance), routeTables.createRoute(alice, table.id(),
                new CreateRoute("172.16.0.0/12", "instance", appliance)));

        Vpc other = vpc(alice);
        String elsewhere = instance(alice, subnet(alice, other, 1), "running");
        assertEquals("InvalidInstanceID.NotFound", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("192.168.0.0/16", "instance", elsewhere))));
        String gone = instance(alice, subnet, "terminated");
        assertEquals("InvalidInstanceID.NotFound", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("192.168.0.0/16", "instance", gone))));
        assertEquals("InvalidInstanceID.NotFound", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("192.168.0.0/16", "instance", UUID.randomUUID().toString()))));
        assertEquals("InvalidInstanceID.Malformed", code(() -> routeTables.createRoute(alice, table.id(),
                new CreateRoute("192.168.0.0/16", "instance", "i-1234"))));
        assertEquals(2, routeCount(table.id()));
    }

    @Test
    void associatingMovesASubnetAndTheMainTableServesTheRest() {
        Vpc vpc = vpc(alice);
        Subnet a = subnet(alice, vpc, 1);
        Subnet b = subnet(alice, vpc, 2);
        RouteTable first = routeTables.create(alice, new CreateRouteTable(vpc.id(), "first"));
        RouteTable second = routeTables.create(alice, new CreateRouteTable(vpc.id(), "second"));

        assertEquals(List.of(a.id()), routeTables.associate(alice, first.id(), a.id()).subnetIds());
        assertEquals(List.of(a.id(), b.id()), routeTables.associate(alice, first.id(), b.id()).subnetIds());
        assertEquals(List.of(a.id(), b.id()), routeTables.associate(alice, first.id(), a.id()).subnetIds(),
                "associating again changes nothing");
        assertEquals(List.of(a.id()), routeTables.associate(alice, second.id(), a.id()).subnetIds());
        assertEquals(List.of(b.id()), routeTables.get(alice, first.id()).subnetIds(), "the subnet moved");
        assertEquals(2, count("SELECT COUNT(*) FROM route_table_associations WHERE subnet_id IN (?, ?)", a.id(), b.id()));

        routeTables.disassociate(alice, second.id(), a.id());
        assertEquals(List.of(), routeTables.get(alice, second.id()).subnetIds());
        assertEquals("InvalidAssociationID.NotFound", code(() -> routeTables.disassociate(alice, second.id(), a.id())));
        assertEquals("InvalidAssociationID.NotFound", code(() -> routeTables.disassociate(alice, second.id(), b.id())));

        // Explicitly with the main table, and back.
        assertEquals(List.of(a.id()), routeTables.associate(alice, vpc.mainRouteTableId(), a.id()).subnetIds());
        routeTables.disassociate(alice, vpc.mainRouteTableId(), a.id());

        Subnet foreign = subnet(alice, vpc(alice), 1);
        assertEquals("InvalidParameterValue", code(() -> routeTables.associate(alice, first.id(), foreign.id())));
        assertEquals("InvalidSubnetID.NotFound", code(() -> routeTables.associate(alice, first.id(),
                UUID.randomUUID().toString())));
        Subnet bobs = subnet(bob, vpc(bob), 1);
        assertEquals("InvalidSubnetID.NotFound", code(() -> routeTables.associate(alice, first.id(), bobs.id())));
        assertEquals("InvalidSubnetID.Malformed", code(() -> routeTables.associate(alice, first.id(), "subnet-1")));
        assertEquals(List.of(b.id()), routeTables.get(alice, first.id()).subnetIds());

        // A deleted subnet's association goes with it.
        subnets.delete(alice, b.id());
        assertEquals(List.of(), routeTables.get(alice, first.id()).subnetIds());
    }

    @Test
    void theMainTableAndTablesInUseCannotBeDeleted() {
        Vpc vpc = vpc(alice);
        Subnet subnet = subnet(alice, vpc, 1);
        RouteTable table = routeTables.create(alice, new CreateRouteTable(vpc.id(), "t"));
        routeTables.associate(alice, table.id(), subnet.id());
        assertEquals("CannotDelete", code(() -> routeTables.delete(alice, vpc.mainRouteTableId())));
        assertEquals("DependencyViolation", code(() -> routeTables.delete(alice, table.id())));
        assertEquals(table.id(), routeTables.get(alice, table.id()).id());
        assertEquals("DependencyViolation", code(() -> vpcs.delete(alice, vpc.id())));

        routeTables.disassociate(alice, table.id(), subnet.id());
        routeTables.delete(alice, table.id());
        assertEquals("InvalidRouteTableID.NotFound", code(() -> routeTables.get(alice, table.id())));
        assertEquals(0, routeCount(table.id()), "its routes go with it");
        subnets.delete(alice, subnet.id());
        vpcs.delete(alice, vpc.id());
        assertEquals(0, routeCount(vpc.mainRouteTableId()), "the main table goes with the VPC");
    }

    @Test
    void anotherTenantsTablesAreNotFound() {
        Vpc vpc = vpc(alice);
        Subnet subnet = subnet(alice, vpc, 1);
        RouteTable table = routeTables.create(alice, new CreateRouteTable(vpc.id(), "mine"));
        String gateway = attachedGateway(vpc);
        String notFound = "InvalidRouteTableID.NotFound";
        assertEquals(notFound, code(() -> routeTables.get(bob, table.id())));
        assertEquals(notFound, code(() -> routeTables.delete(bob, table.id())));
        assertEquals(notFound, code(() -> routeTables.createRoute(bob, table.id(),
                new CreateRoute("0.0.0.0/0", "igw", gateway))));
        assertEquals(notFound, code(() -> routeTables.deleteRoute(bob, table.id(), vpc.cidrBlock())));
        assertEquals(notFound, code(() -> routeTables.associate(bob, table.id(), subnet.id())));
        assertEquals(notFound, code(() -> routeTables.disassociate(bob, table.id(), subnet.id())));
        assertEquals(notFound, code(() -> routeTables.get(alice, UUID.randomUUID().toString())));
        assertEquals("InvalidRouteTableID.Malformed", code(() -> routeTables.get(alice, "rtb-1")));
        assertEquals("InvalidVpcID.NotFound", code(() -> routeTables.create(bob, new CreateRouteTable(vpc.id(), "x"))));
        assertEquals("InvalidVpcID.NotFound", code(() -> routeTables.list(bob, vpc.id(), PageRequest.first())));
        assertTrue(routeTables.list(bob, null, PageRequest.first()).items().isEmpty());
        assertEquals(2, routeTables.list(alice, null, PageRequest.first()).items().size());
        assertEquals(1, routeTables.get(alice, table.id()).routes().size());
    }

    @Test
    void aRejectedTableWritesNothing() {
        Vpc vpc = vpc(alice);
        assertEquals("InvalidParameterValue", code(() -> routeTables.create(alice,
                new CreateRouteTable(vpc.id(), "x".repeat(256)))));
        assertEquals("MissingParameter", code(() -> routeTables.create(alice, new CreateRouteTable(null, "x"))));
        assertEquals(1, count("SELECT COUNT(*) FROM route_tables WHERE vpc_id = ?", vpc.id()));
        assertNull(routeTables.list(alice, vpc.id(), new PageRequest(1, null)).nextPageToken());
    }
}
