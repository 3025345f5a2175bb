package io.goncloud.core.vpc;

import io.goncloud.api.model.ElasticIp;
import io.goncloud.api.model.InternetGateway;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InternetGatewayService.CreateInternetGateway;
import io.goncloud.core.persistence.Database;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Elastic IPs against a real database; subclasses pick which. Each test has a pool of its own (a /28
 * with 4 reserved: 11 addresses), so exhaustion can be tested without touching the other tests.
 */
abstract class ElasticIpServiceContract extends NetworkingContract {

    private static int nextPool = 0;

    private ElasticIpServiceImpl addresses;
    private String poolBase;

    @org.junit.jupiter.api.BeforeEach
    void newPool() {
        int n = nextPool++;
        poolBase = "198.18." + n + ".";
        addresses = new ElasticIpServiceImpl(db, new PublicIpPool(poolBase + "0/28", 4));
    }

    private String readyInstance(Caller owner, Vpc vpc) {
        Subnet subnet = subnet(owner, vpc, 1);
        InternetGateway gateway = gateways.create(owner, new CreateInternetGateway("gw"), null);
        gateways.attach(owner, gateway.id(), vpc.id());
        return instance(owner, subnet, "running");
    }

    private String publicIpOf(String instance) {
        return db.inTransaction(em -> (String) em.createNativeQuery("SELECT public_ip FROM instances WHERE id = ?")
                .setParameter(1, instance).getSingleResult());
    }

    @Test
    void allocateTakesTheLowestFreeAddressAfterTheReservedOnes() {
        ElasticIp first = addresses.allocate(alice, null);
        assertEquals(poolBase + "4", first.address());
        assertEquals(alice.userId(), first.userId());
        assertNull(first.instanceId());
        assertEquals(first, addresses.get(alice, first.id()));
        ElasticIp second = addresses.allocate(bob, null);
        assertEquals(poolBase + "5", second.address());
        addresses.release(alice, first.id());
        assertEquals(poolBase + "4", addresses.allocate(bob, null).address(), "a released address is reused");
        assertEquals(List.of(second.address(), poolBase + "4"), addresses.list(bob, PageRequest.first()).items().stream()
                .map(ElasticIp::address).toList());
        assertEquals("InvalidAllocationID.NotFound", code(() -> addresses.get(alice, first.id())));
    }

    @Test
    void anExhaustedPoolRefusesToAllocate() {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            got.add(addresses.allocate(alice, null).address());
        }
        assertEquals(poolBase + "14", got.get(10), "the broadcast address .15 is never handed out");
        assertEquals("AddressLimitExceeded", code(() -> addresses.allocate(alice, null)));
        assertEquals(11, addresses.list(alice, PageRequest.first()).items().size());
        assertEquals(11, count("SELECT COUNT(*) FROM public_ips WHERE address LIKE ?", poolBase + "%"));
    }

    @Test
    void concurrentAllocationsGetDistinctAddresses() throws Exception {
        int threads = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<ElasticIp>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return addresses.allocate(alice, null);
                }));
            }
            start.countDown();
            java.util.Set<String> got = new java.util.HashSet<>();
            for (var future : futures) {
                got.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS).address());
            }
            assertEquals(threads, got.size(), "every allocation got an address of its own: " + got);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void associateMapsTheAddressToAnInstanceOfTheOwner() {
        Vpc vpc = vpc(alice);
        String instance = readyInstance(alice, vpc);
        ElasticIp address = addresses.allocate(alice, null);
        ElasticIp associated = addresses.associate(alice, address.id(), instance);
        assertEquals(instance, associated.instanceId());
        assertEquals(associated, addresses.get(alice, address.id()));
        assertEquals(address.address(), publicIpOf(instance));

        assertEquals("Resource.AlreadyAssociated", code(() -> addresses.associate(alice, address.id(), instance)));
        ElasticIp another = addresses.allocate(alice, null);
        assertEquals("Resource.AlreadyAssociated", code(() -> addresses.associate(alice, another.id(), instance)),
                "an instance has one elastic IP");
        assertEquals("InvalidIPAddress.InUse", code(() -> addresses.release(alice, address.id())));
        assertEquals("DependencyViolation", code(() -> gateways.detach(alice,
                gateways.list(alice, PageRequest.first()).items().get(0).id(), vpc.id())));

        ElasticIp disassociated = addresses.disassociate(alice, address.id());
        assertNull(disassociated.instanceId());
        assertNull(publicIpOf(instance));
        assertEquals("InvalidAssociationID.NotFound", code(() -> addresses.disassociate(alice, address.id())));
        addresses.release(alice, address.id());
    }

    @Test
    void anAutomaticAddressGivesWayToAnElasticOne() {
        Vpc vpc = vpc(alice);
        String instance = readyInstance(alice, vpc);
        db.run(em -> {
            em.createNativeQuery("INSERT INTO public_ips (id, address, kind, user_id, instance_id, created_at) "
                            + "VALUES (?, ?, 'auto', ?, ?, ?)")
                    .setParameter(1, UUID.randomUUID().toString()).setParameter(2, poolBase + "4")
                    .setParameter(3, alice.userId()).setParameter(4, instance).setParameter(5, Database.now())
                    .executeUpdate();
            Instances.setPublicIp(em, instance, poolBase + "4");
        });
        ElasticIp address = addresses.allocate(alice, null);
        assertEquals(poolBase + "5", address.address(), "the automatic address is in use");
        addresses.associate(alice, address.id(), instance);
        assertEquals(address.address(), publicIpOf(instance));
        assertEquals(0, count("SELECT COUNT(*) FROM public_ips WHERE kind = 'auto' AND instance_id = ?", instance));
    }

    @Test
    void associateNeedsALiveInstanceOfTheOwnerBehindAGateway() {
        Vpc vpc = vpc(alice);
        Subnet subnet = subnet(alice, vpc, 1);
        String instance = instance(alice, subnet, "running");
        ElasticIp address = addresses.allocate(alice, null);
        assertEquals("Gateway.NotAttached", code(() -> addresses.associate(alice, address.id(), instance)));
        InternetGateway gateway = gateways.create(alice, new CreateInternetGateway("gw"), null);
        gateways.attach(alice, gateway.id(), vpc.id());

        String terminated = instance(alice, subnet, "terminated");
        assertEquals("InvalidInstanceID.NotFound", code(() -> addresses.associate(alice, address.id(), terminated)));
        String bobs = readyInstance(bob, vpc(bob));
        assertEquals("InvalidInstanceID.NotFound", code(() -> addresses.associate(alice, address.id(), bobs)));
        assertEquals("InvalidInstanceID.NotFound", code(() -> addresses.associate(alice, address.id(),
                UUID.randomUUID().toString())));
        assertEquals("InvalidInstanceID.Malformed", code(() -> addresses.associate(alice, address.id(), "i-1")));
        assertEquals("MissingParameter", code(() -> addresses.associate(alice, address.id(), null)));
        assertNull(addresses.get(alice, address.id()).instanceId(), "refused associations write nothing");
        assertNull(publicIpOf(instance));
        assertEquals(instance, addresses.associate(alice, address.id(), instance).instanceId());
    }

    @Test
    void anotherTenantsAddressesAreNotFound() {
        ElasticIp address = addresses.allocate(alice, null);
        String bobs = readyInstance(bob, vpc(bob));
        String notFound = "InvalidAllocationID.NotFound";
        assertEquals(notFound, code(() -> addresses.get(bob, address.id())));
        assertEquals(notFound, code(() -> addresses.release(bob, address.id())));
        assertEquals(notFound, code(() -> addresses.associate(bob, address.id(), bobs)));
        assertEquals(notFound, code(() -> addresses.disassociate(bob, address.id())));
        assertEquals(notFound, code(() -> addresses.get(alice, UUID.randomUUID().toString())));
        assertEquals("InvalidAllocationID.Malformed", code(() -> addresses.get(alice, "eipalloc-1")));
        assertTrue(addresses.list(bob, PageRequest.first()).items().isEmpty());
        assertEquals(1, addresses.list(alice, PageRequest.first()).items().size());
    }

    @Test
    void theOperatorAllocatesForAnOwner() {
        ElasticIp address = addresses.allocate(Caller.operator(), alice.userId());
        assertEquals(alice.userId(), address.userId());
        assertEquals(address, addresses.get(alice, address.id()));
        assertEquals("InvalidParameterValue", code(() -> addresses.allocate(Caller.operator(), UUID.randomUUID().toString())));
        assertEquals("MissingParameter", code(() -> addresses.allocate(Caller.operator(), null)));
        assertEquals(1, count("SELECT COUNT(*) FROM public_ips WHERE address LIKE ?", poolBase + "%"));
    }

    @Test
    void thePoolConfigurationIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PublicIpPool("203.0.113.0/33", 16));
        assertThrows(IllegalArgumentException.class, () -> new PublicIpPool("203.0.113.0/31", 1));
        assertThrows(IllegalArgumentException.class, () -> new PublicIpPool("203.0.113.0/24", 0));
        assertThrows(IllegalArgumentException.class, () -> new PublicIpPool("203.0.113.0/24", 255));
        assertEquals(239, new PublicIpPool(PublicIpPool.DEFAULT_CIDR, PublicIpPool.DEFAULT_RESERVED).capacity());
    }
}
