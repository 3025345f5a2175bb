package io.goncloud.core.vpc;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.SubnetService.CreateSubnet;
import io.goncloud.api.service.SubnetService.UpdateSubnet;
import io.goncloud.api.service.VpcService.CreateVpc;
import io.goncloud.api.service.VpcService.UpdateVpc;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VPC and subnet services against a real database; subclasses pick which one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class VpcServiceContract {

    private TestDatabase testDb;
    private Database db;
    private VpcServiceImpl vpcs;
    private SubnetServiceImpl subnets;
    private AuthServiceImpl auth;
    private Caller alice;
    private Caller bob;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void startDatabase() {
        testDb = TestDatabase.create(kind());
        db = testDb.database();
        vpcs = new VpcServiceImpl(db);
        subnets = new SubnetServiceImpl(db, List.of("zone-a", "zone-b"));
        auth = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4, Clock.systemUTC());
    }

    @AfterAll
    void dropDatabase() {
        if (testDb != null) {
            testDb.close();
        }
    }

    @BeforeEach
    void newTenants() {
        alice = tenant("alice");
        bob = tenant("bob");
    }

    private Caller tenant(String name) {
        User user = auth.register(name, name + "-" + UUID.randomUUID() + "@example.test", "password-" + name);
        return Caller.user(user.id(), Role.USER);
    }

    private static String code(Runnable call) {
        return assertThrows(GcpException.class, call::run).code();
    }

    @Test
    void createdVpcComesWithMainRouteTableDefaultGroupAndAcl() {
        Vpc vpc = vpcs.create(alice, new CreateVpc("prod", "10.0.0.0/16", "production"), null);
        assertEquals("10.0.0.0/16", vpc.cidrBlock());
        assertEquals(alice.userId(), vpc.userId());
        assertNotNull(vpc.mainRouteTableId());
        assertNotNull(vpc.defaultSecurityGroupId());
        assertNotNull(vpc.defaultNetworkAclId());
        assertEquals(vpc, vpcs.get(alice, vpc.id()));
        String localRoute = db.inTransaction(em -> (String) em.createNativeQuery(
                "SELECT destination_cidr FROM routes WHERE route_table_id = ? AND target_type = 'local'")
                .setParameter(1, vpc.mainRouteTableId()).getSingleResult());
        assertEquals("10.0.0.0/16", localRoute);
    }

    @Test
    void vpcPrefixMustBeBetween16And28() {
        assertEquals("InvalidVpc.Range", code(() -> vpcs.create(alice, new CreateVpc("big", "10.0.0.0/8", null), null)));
        assertEquals("InvalidVpc.Range", code(() -> vpcs.create(alice, new CreateVpc("tiny", "10.0.0.0/29", null), null)));
        assertEquals("InvalidParameterValue", code(() -> vpcs.create(alice, new CreateVpc("bad", "10.0.0.0/33", null), null)));
        assertEquals("InvalidParameterValue", code(() -> vpcs.create(alice, new CreateVpc("bad", "banana", null), null)));
        assertEquals("InvalidParameterValue", code(() -> vpcs.create(alice, new CreateVpc("bad", "10.0.0.1/16", null), null)));
        assertEquals("MissingParameter", code(() -> vpcs.create(alice, new CreateVpc(null, "10.0.0.0/16", null), null)));
        assertTrue(vpcs.list(alice, PageRequest.first()).items().isEmpty(), "a rejected VPC must not be written");
    }

    @Test
    void anotherTenantsVpcIsNotFound() {
        Vpc vpc = vpcs.create(alice, new CreateVpc("mine", "10.1.0.0/16", null), null);
        assertEquals("InvalidVpcID.NotFound", code(() -> vpcs.get(bob, vpc.id())));
        assertEquals("InvalidVpcID.NotFound", code(() -> vpcs.update(bob, vpc.id(), new UpdateVpc("stolen", null))));
        assertEquals("InvalidVpcID.NotFound", code(() -> vpcs.delete(bob, vpc.id())));
        assertEquals("InvalidVpcID.NotFound", code(() -> subnets.create(bob,
                new CreateSubnet(vpc.id(), "s", "10.1.1.0/24", null, null, null))));
        assertTrue(vpcs.list(bob, PageRequest.first()).items().isEmpty());
        assertEquals("mine", vpcs.get(alice, vpc.id()).name());
        assertEquals("InvalidVpcID.Malformed", code(() -> vpcs.get(alice, "not-an-id")));
        assertEquals("InvalidVpcID.NotFound", code(() -> vpcs.get(alice, UUID.randomUUID().toString())));
    }

    @Test
    void updateChangesNameAndDescriptionOnly() {
        Vpc vpc = vpcs.create(alice, new CreateVpc("old", "10.2.0.0/16", "before"), null);
        Vpc updated = vpcs.update(alice, vpc.id(), new UpdateVpc("new", null));
        assertEquals("new", updated.name());
        assertEquals("before", updated.description());
        assertEquals("10.2.0.0/16", updated.cidrBlock());
        assertTrue(updated.updatedAt().isAfter(vpc.updatedAt()));
        assertEquals("MissingParameter", code(() -> vpcs.update(alice, vpc.id(), new UpdateVpc(null, null))));
    }

    @Test
    void subnetMustLieInsideItsVpcAndNotOverlapAnother() {
        Vpc vpc = vpcs.create(alice, new CreateVpc("net", "10.3.0.0/16", null), null);
        Subnet first = subnets.create(alice, new CreateSubnet(vpc.id(), "a", "10.3.1.0/24", null, null, null));
        assertEquals(251, first.availableIpAddressCount());
        assertEquals("zone-a", first.availabilityZone());
        assertTrue(first.isPublic());
        assertFalse(first.mapPublicIpOnLaunch());
        assertEquals("InvalidSubnet.Range", code(() -> subnets.create(alice,
                new CreateSubnet(vpc.id(), "out", "10.4.0.0/24", null, null, null))));
        assertEquals("InvalidSubnet.Range", code(() -> subnets.create(alice,
                new CreateSubnet(vpc.id(), "small", "10.3.2.0/29", null, null, null))));
        assertEquals("InvalidSubnet.Conflict", code(() -> subnets.create(alice,
                new CreateSubnet(vpc.id(), "overlap", "10.3.0.0/20", null, null, null))));
        assertEquals("InvalidSubnet.Conflict", code(() -> subnets.create(alice,
                new CreateSubnet(vpc.id(), "same", "10.3.1.0/24", null, null, null))));
        assertEquals("InvalidParameterValue", code(() -> subnets.create(alice,
                new CreateSubnet(vpc.id(), "zone", "10.3.3.0/24", "mars-1", null, null))));
        Subnet tiny = subnets.create(alice, new CreateSubnet(vpc.id(), "b", "10.3.2.0/28", "zone-b", false, true));
        assertEquals(11, tiny.availableIpAddressCount());
        assertEquals(2, subnets.list(alice, vpc.id(), PageRequest.first()).items().size());
    }

    @Test
    void subnetUpdateAndDelete() {
        Vpc vpc = vpcs.create(alice, new CreateVpc("upd", "10.5.0.0/16", null), null);
        Subnet subnet = subnets.create(alice, new CreateSubnet(vpc.id(), "s", "10.5.0.0/24", null, null, null));
        Subnet updated = subnets.update(alice, subnet.id(), new UpdateSubnet("renamed", null, true));
        assertEquals("renamed", updated.name());
        assertTrue(updated.mapPublicIpOnLaunch());
        assertEquals("InvalidSubnetID.NotFound", code(() -> subnets.get(bob, subnet.id())));
        assertEquals("InvalidSubnetID.NotFound", code(() -> subnets.delete(bob, subnet.id())));
        subnets.delete(alice, subnet.id());
        assertEquals("InvalidSubnetID.NotFound", code(() -> subnets.get(alice, subnet.id())));
    }

    @Test
    void vpcWithSubnetsCannotBeDeleted() {
        Vpc vpc = vpcs.create(alice, new CreateVpc("dep", "10.6.0.0/16", null), null);
        Subnet subnet = subnets.create(alice, new CreateSubnet(vpc.id(), "s", "10.6.0.0/24", null, null, null));
        assertEquals("DependencyViolation", code(() -> vpcs.delete(alice, vpc.id())));
        assertEquals(vpc.id(), vpcs.get(alice, vpc.id()).id(), "nothing may be deleted on a dependency violation");
        assertEquals(subnet.id(), subnets.get(alice, subnet.id()).id());
        subnets.delete(alice, subnet.id());
        vpcs.delete(alice, vpc.id());
        assertEquals("InvalidVpcID.NotFound", code(() -> vpcs.get(alice, vpc.id())));
        long leftovers = db.inTransaction(em -> ((Number) em.createNativeQuery(
                "SELECT (SELECT COUNT(*) FROM route_tables WHERE vpc_id = ?1) + (SELECT COUNT(*) FROM security_groups "
                        + "WHERE vpc_id = ?1) + (SELECT COUNT(*) FROM network_acls WHERE vpc_id = ?1)")
                .setParameter(1, vpc.id()).getSingleResult()).longValue());
        assertEquals(0, leftovers, "the VPC's default resources go with it");
    }

    @Test
    void listsArePaginatedInCreationOrder() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(vpcs.create(alice, new CreateVpc("vpc-" + i, "10." + (100 + i) + ".0.0/16", null), null).id());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<Vpc> page = vpcs.list(alice, new PageRequest(3, token));
            page.items().forEach(v -> seen.add(v.id()));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertEquals(created, seen);
        assertEquals(3, pages);
        assertEquals(new HashSet<>(created), Set.copyOf(seen));
        assertEquals("InvalidParameterValue", code(() -> vpcs.list(alice, new PageRequest(0, null))));
        assertEquals("InvalidPaginationToken", code(() -> vpcs.list(alice, new PageRequest(3, "garbage"))));
        assertNull(vpcs.list(alice, new PageRequest(7, null)).nextPageToken());
    }

    @Test
    void operatorSeesEveryTenantAndCreatesForAnOwner() {
        Vpc vpc = vpcs.create(Caller.operator(), new CreateVpc("ops", "10.7.0.0/16", null), bob.userId());
        assertEquals(bob.userId(), vpc.userId());
        assertEquals(vpc.id(), vpcs.get(bob, vpc.id()).id());
        assertTrue(vpcs.list(Caller.operator(), new PageRequest(1000, null)).items().stream()
                .anyMatch(v -> v.id().equals(vpc.id())));
        assertEquals("InvalidParameterValue", code(() -> vpcs.create(Caller.operator(),
                new CreateVpc("x", "10.8.0.0/16", null), UUID.randomUUID().toString())));
    }
}
