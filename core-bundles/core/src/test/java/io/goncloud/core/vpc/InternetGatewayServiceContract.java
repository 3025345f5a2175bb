package io.goncloud.core.vpc;

import io.goncloud.api.model.InternetGateway;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InternetGatewayService.CreateInternetGateway;
import io.goncloud.api.service.RouteTableService.CreateRoute;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Internet gateways against a real database; subclasses pick which. */
abstract class InternetGatewayServiceContract extends NetworkingContract {

    @Test
    void createAttachDetachDelete() {
        Vpc vpc = vpc(alice);
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("edge"), null);
        assertEquals("edge", gateway.name());
        assertEquals("detached", gateway.state());
        assertNull(gateway.vpcId());
        assertEquals(alice.userId(), gateway.userId());
        assertEquals(gateway, gateways.get(alice, gateway.id()));

        InternetGateway attached = gateways.attach(alice, gateway.id(), vpc.id());
        assertEquals("attached", attached.state());
        assertEquals(vpc.id(), attached.vpcId());
        assertTrue(attached.updatedAt().isAfter(gateway.updatedAt()));
        assertEquals(attached, gateways.get(alice, gateway.id()));

        InternetGateway detached = gateways.detach(alice, gateway.id(), vpc.id());
        assertEquals("detached", detached.state());
        assertNull(detached.vpcId());
        gateways.delete(alice, gateway.id());
        assertEquals("InvalidInternetGatewayID.NotFound", code(() -> gateways.get(alice, gateway.id())));
        assertEquals("", gateways.create(alice, new CreateInternetGateway(null), null).name());
    }

    @Test
    void aGatewayAttachesToOneVpcAndAVpcHasOneGateway() {
        Vpc vpc = vpc(alice);
        Vpc other = vpc(alice);
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("a"), null);
        InternetGateway second = gateways.create(alice, new CreateInternetGateway("b"), null);
        gateways.attach(alice, gateway.id(), vpc.id());
        assertEquals("Resource.AlreadyAssociated", code(() -> gateways.attach(alice, gateway.id(), vpc.id())));
        assertEquals("Resource.AlreadyAssociated", code(() -> gateways.attach(alice, gateway.id(), other.id())));
        assertEquals("Resource.AlreadyAssociated", code(() -> gateways.attach(alice, second.id(), vpc.id())));
        assertEquals("detached", gateways.get(alice, second.id()).state(), "a refused attach writes nothing");
        assertEquals(vpc.id(), gateways.get(alice, gateway.id()).vpcId());

        assertEquals("Gateway.NotAttached", code(() -> gateways.detach(alice, gateway.id(), other.id())));
        assertEquals("Gateway.NotAttached", code(() -> gateways.detach(alice, second.id(), vpc.id())));
        assertEquals("DependencyViolation", code(() -> gateways.delete(alice, gateway.id())));
        assertEquals("attached", gateways.get(alice, gateway.id()).state());
        assertEquals("InvalidVpcID.NotFound", code(() -> gateways.attach(alice, second.id(), UUID.randomUUID().toString())));
        assertEquals("MissingParameter", code(() -> gateways.attach(alice, second.id(), null)));
    }

    @Test
    void detachingIsRefusedWhileRoutesTargetTheGateway() {
        Vpc vpc = vpc(alice);
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("edge"), null);
        gateways.attach(alice, gateway.id(), vpc.id());
        routeTables.createRoute(alice, vpc.mainRouteTableId(), new CreateRoute("0.0.0.0/0", "igw", gateway.id()));
        assertEquals("DependencyViolation", code(() -> gateways.detach(alice, gateway.id(), vpc.id())));
        assertEquals("attached", gateways.get(alice, gateway.id()).state());
        routeTables.deleteRoute(alice, vpc.mainRouteTableId(), "0.0.0.0/0");
        gateways.detach(alice, gateway.id(), vpc.id());
    }

    @Test
    void detachingIsRefusedWhileInstancesOfTheVpcHavePublicAddresses() {
        Vpc vpc = vpc(alice);
        Subnet subnet = subnet(alice, vpc, 1);
        String instance = instance(alice, subnet, "running");
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("edge"), null);
        gateways.attach(alice, gateway.id(), vpc.id());
        db.run(em -> em.createNativeQuery("INSERT INTO public_ips (id, address, kind, user_id, instance_id, created_at) "
                        + "VALUES (?, '203.0.113.200', 'auto', ?, ?, ?)")
                .setParameter(1, UUID.randomUUID().toString()).setParameter(2, alice.userId())
                .setParameter(3, instance).setParameter(4, java.time.OffsetDateTime.now()).executeUpdate());
        assertEquals("DependencyViolation", code(() -> gateways.detach(alice, gateway.id(), vpc.id())));
        db.run(em -> em.createNativeQuery("DELETE FROM public_ips WHERE instance_id = ?")
                .setParameter(1, instance).executeUpdate());
        gateways.detach(alice, gateway.id(), vpc.id());
    }

    @Test
    void aVpcWithAnAttachedGatewayCannotBeDeleted() {
        Vpc vpc = vpc(alice);
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("edge"), null);
        gateways.attach(alice, gateway.id(), vpc.id());
        assertEquals("DependencyViolation", code(() -> vpcs.delete(alice, vpc.id())));
        assertEquals(vpc.id(), vpcs.get(alice, vpc.id()).id());
        gateways.detach(alice, gateway.id(), vpc.id());
        vpcs.delete(alice, vpc.id());
        assertEquals("detached", gateways.get(alice, gateway.id()).state(), "the gateway outlives the VPC");
    }

    @Test
    void anotherTenantsGatewaysAreNotFound() {
        Vpc vpc = vpc(alice);
        Vpc bobsVpc = vpc(bob);
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("mine"), null);
        String notFound = "InvalidInternetGatewayID.NotFound";
        assertEquals(notFound, code(() -> gateways.get(bob, gateway.id())));
        assertEquals(notFound, code(() -> gateways.delete(bob, gateway.id())));
        assertEquals(notFound, code(() -> gateways.attach(bob, gateway.id(), bobsVpc.id())));
        assertEquals("InvalidVpcID.NotFound", code(() -> gateways.attach(alice, gateway.id(), bobsVpc.id())));
        gateways.attach(alice, gateway.id(), vpc.id());
        assertEquals(notFound, code(() -> gateways.detach(bob, gateway.id(), bobsVpc.id())));
        assertEquals("InvalidVpcID.NotFound", code(() -> gateways.detach(bob, gateway.id(), vpc.id())));
        assertEquals("InvalidInternetGatewayID.Malformed", code(() -> gateways.get(alice, "igw-1")));
        assertTrue(gateways.list(bob, PageRequest.first()).items().isEmpty());
        assertEquals(1, gateways.list(alice, PageRequest.first()).items().size());
        assertEquals("attached", gateways.get(alice, gateway.id()).state());
    }

    @Test
    void theOperatorCreatesForAnOwnerAndCannotMixOwners() {
        Vpc bobsVpc = vpc(bob);
        InternetGateway forAlice = gateways.create(Caller.operator(), new CreateInternetGateway("ops"), alice.userId());
        assertEquals(alice.userId(), forAlice.userId());
        assertEquals("InvalidParameterValue", code(() -> gateways.attach(Caller.operator(), forAlice.id(), bobsVpc.id())));
        assertEquals("InvalidParameterValue", code(() -> gateways.create(Caller.operator(),
                new CreateInternetGateway("x"), UUID.randomUUID().toString())));
        assertEquals("InvalidParameterValue", code(() -> gateways.create(alice,
                new CreateInternetGateway("x".repeat(256)), null)));
        assertEquals(1, gateways.list(alice, PageRequest.first()).items().size(), "refused creates write nothing");
    }
}
