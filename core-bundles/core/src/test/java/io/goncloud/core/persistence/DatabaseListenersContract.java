package io.goncloud.core.persistence;

import io.goncloud.api.model.Role;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.SubnetService.CreateSubnet;
import io.goncloud.api.service.VpcService.CreateVpc;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.dataplane.NetworkStateServiceImpl;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.vpc.SubnetServiceImpl;
import io.goncloud.core.vpc.VpcServiceImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who hears of a transaction: a unit of work that wrote something tells the listeners once it has committed
 * (the network agent converges the hosts then); a read ({@link Database#read}) never does, not even when it runs
 * a native query (which EclipseLink counts as a write) or tries to write, which it rolls back. Otherwise each of
 * the agent's reads of the desired state would announce a change and start the next read, forever. Subclasses
 * pick the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseListenersContract {

    private final AtomicInteger told = new AtomicInteger();
    private TestDatabase testDb;
    private Database db;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void startDatabase() {
        testDb = TestDatabase.create(kind());
        db = testDb.database(told::incrementAndGet);
    }

    @AfterAll
    void dropDatabase() {
        if (testDb != null) {
            testDb.close();
        }
    }

    @BeforeEach
    void nobodyToldYet() {
        told.set(0);
    }

    @Test
    void aReadTellsNobodyEvenWhenItRunsANativeQuery() {
        Number images = db.read(em -> (Number) em.createNativeQuery("SELECT COUNT(*) FROM images").getSingleResult());
        assertTrue(images.intValue() >= 0);
        Long users = db.read(em -> em.createQuery("SELECT COUNT(u) FROM UserEntity u", Long.class).getSingleResult());
        assertTrue(users >= 0);
        assertEquals(0, told.get(), "reads change nothing: nobody is told");
    }

    @Test
    void aReadThatWritesIsRolledBackAndTellsNobody() {
        String id = UUID.randomUUID().toString();
        int inserted = db.read(em -> em.createNativeQuery("INSERT INTO images (id, name, os, version, architecture, "
                        + "format, location, is_public, size, created_at) VALUES (?, 'gcp-test', 'linux', '1', 'x86_64', "
                        + "'docker-rootfs', '/nowhere', TRUE, 1, ?)")
                .setParameter(1, id).setParameter(2, Database.now()).executeUpdate());
        assertEquals(1, inserted);

        assertEquals(0, imagesWithId(id), "rolled back");
        assertEquals(0, told.get());
    }

    @Test
    void aCommittedWriteTellsTheListenersOnce() {
        String id = UUID.randomUUID().toString();
        db.run(em -> em.createNativeQuery("INSERT INTO images (id, name, os, version, architecture, format, location, "
                        + "is_public, size, created_at) VALUES (?, 'gcp-test', 'linux', '1', 'x86_64', 'docker-rootfs', "
                        + "'/nowhere', TRUE, 1, ?)")
                .setParameter(1, id).setParameter(2, Database.now()).executeUpdate());
        assertEquals(1, told.get(), "a committed write is announced");
        assertEquals(1, imagesWithId(id), "and committed");
        assertEquals(1, told.get(), "reading it back is not");
    }

    private int imagesWithId(String id) {
        Number count = db.read(em -> (Number) em.createNativeQuery("SELECT COUNT(*) FROM images WHERE CAST(id AS "
                + "VARCHAR(36)) = ?").setParameter(1, id).getSingleResult());
        return count.intValue();
    }

    @Test
    void readingAHostsDesiredStateTellsNobody() {
        AuthServiceImpl auth = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4,
                Clock.systemUTC());
        User user = auth.register("alice", "alice-" + UUID.randomUUID() + "@example.test", "password-alice");
        Caller alice = Caller.user(user.id(), Role.USER);
        Vpc vpc = new VpcServiceImpl(db).create(alice, new CreateVpc("v", "10.60.0.0/16", null), null);
        new SubnetServiceImpl(db, List.of("zone-a")).create(alice, new CreateSubnet(vpc.id(), "s", "10.60.1.0/24",
                null, null, null));
        assertTrue(told.get() > 0, "creating the VPC and its subnet was announced");
        told.set(0);

        NetworkStateServiceImpl state = new NetworkStateServiceImpl(db,
                NetworkStateServiceImpl.provider("203.0.113.0/24", "gcp-provider", "203.0.113.1"));
        HostNetwork network = state.desiredNetwork("gcp-test-host");
        state.desiredFirewall("gcp-test-host");

        assertTrue(network.vpcs().stream().anyMatch(v -> v.vpcId().equals(vpc.id())), "the VPC is in it: " + network);
        assertEquals(0, told.get(), "the network agent's reads must not wake the network agent");
    }
}
