package io.goncloud.core.vpc;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.SubnetService.CreateSubnet;
import io.goncloud.api.service.VpcService.CreateVpc;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the networking service contracts share: a real database (subclasses pick which), the VPC and
 * subnet services, two tenants per test, and rows of tables whose services come later (instances).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NetworkingContract {

    private static final AtomicInteger NEXT_BLOCK = new AtomicInteger(1);

    TestDatabase testDb;
    Database db;
    VpcServiceImpl vpcs;
    SubnetServiceImpl subnets;
    RouteTableServiceImpl routeTables;
    InternetGatewayServiceImpl gateways;
    SecurityGroupServiceImpl groups;
    NetworkAclServiceImpl acls;
    AuthServiceImpl auth;
    Caller alice;
    Caller bob;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void startDatabase() {
        testDb = TestDatabase.create(kind());
        db = testDb.database();
        vpcs = new VpcServiceImpl(db);
        subnets = new SubnetServiceImpl(db, List.of("zone-a"));
        routeTables = new RouteTableServiceImpl(db);
        gateways = new InternetGatewayServiceImpl(db);
        groups = new SecurityGroupServiceImpl(db);
        acls = new NetworkAclServiceImpl(db);
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

    Caller tenant(String name) {
        User user = auth.register(name, name + "-" + UUID.randomUUID() + "@example.test", "password-" + name);
        return Caller.user(user.id(), Role.USER);
    }

    static String code(Runnable call) {
        return assertThrows(GcpException.class, call::run).code();
    }

    /** A new /16 VPC of the owner, in a block no other VPC of this class uses. */
    Vpc vpc(Caller owner) {
        int n = NEXT_BLOCK.getAndIncrement() % 250 + 1; // VPCs may overlap; distinct blocks only read better
        return vpcs.create(owner, new CreateVpc("vpc-" + n, "10." + n + ".0.0/16", null), null);
    }

    /** A /24 subnet number {@code third} of the VPC. */
    Subnet subnet(Caller owner, Vpc vpc, int third) {
        String block = vpc.cidrBlock().replaceFirst("\\.0\\.0/16$", "." + third + ".0/24");
        return subnets.create(owner, new CreateSubnet(vpc.id(), "s" + third, block, null, null, null));
    }

    /** An instance row in the subnet (the instance service comes later), as the database holds it. */
    String instance(Caller owner, Subnet subnet, String state) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.run(em -> em.createNativeQuery("INSERT INTO instances (id, name, instance_type, subnet_id, private_ip, state, "
                        + "user_id, created_at, updated_at) VALUES (?, ?, 't2.micro', ?, ?, ?, ?, ?, ?)")
                .setParameter(1, id).setParameter(2, "i-" + id.substring(0, 8)).setParameter(3, subnet.id())
                .setParameter(4, subnet.cidrBlock().replaceFirst("0/24$", "10")).setParameter(5, state)
                .setParameter(6, owner.userId()).setParameter(7, now).setParameter(8, now)
                .executeUpdate());
        return id;
    }

    long count(String sql, Object... params) {
        return db.inTransaction(em -> {
            var query = em.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return ((Number) query.getSingleResult()).longValue();
        });
    }
}
