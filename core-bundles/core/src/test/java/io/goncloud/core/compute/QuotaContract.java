package io.goncloud.core.compute;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Quota;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroupRule;
import io.goncloud.core.quota.QuotaServiceImpl;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.vpc.ElasticIpServiceImpl;
import io.goncloud.core.vpc.PublicIpPool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-tenant limits against a real database: every refusal has its EC2 code and creates nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuotaContract {

    private ComputeFixture f;
    private QuotaServiceImpl quotas;
    private ElasticIpServiceImpl addresses;
    private Caller admin;
    private Caller alice;
    private String host;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() {
        f = new ComputeFixture(kind(), "198.18.7.0/24");
        quotas = new QuotaServiceImpl(f.db);
        addresses = new ElasticIpServiceImpl(f.db, new PublicIpPool("198.18.8.0/24", 4));
        admin = Caller.user(f.auth.createUser("root", "root-" + UUID.randomUUID() + "@example.test", "password-root",
                Role.ADMIN).id(), Role.ADMIN);
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @BeforeEach
    void freshTenantAndWorker() {
        alice = f.tenant("alice");
        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep();
        host = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        f.heartbeat(host, 64, 65536, List.of());
    }

    private static String code(Executable call) {
        return assertThrows(GcpException.class, call).code();
    }

    private Instance launch(Subnet subnet) {
        return f.instances.launch(alice, new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), null, null, null, null));
    }

    private long instanceRows() {
        return f.count("SELECT COUNT(*) FROM instances WHERE user_id = ?", alice.userId());
    }

    private Map<String, Quota> byResource(List<Quota> list) {
        Map<String, Quota> map = new HashMap<>();
        list.forEach(q -> map.put(q.resource(), q));
        return map;
    }

    @Test
    void instancesVcpusAndMemoryStopAtTheirLimits() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        quotas.setForUser(admin, alice.userId(), Map.of("instances", 2L));
        Instance first = launch(subnet);
        launch(subnet);
        long rows = instanceRows();
        assertEquals("InstanceLimitExceeded", code(() -> launch(subnet)));
        assertEquals(rows, instanceRows(), "nothing half-created");

        // A terminated instance gives its room back.
        f.takeSent();
        f.instances.terminate(alice, first.id());
        f.answer(f.takeSent().get(0), null, null);
        launch(subnet);

        Map<String, Long> tighter = new HashMap<>();
        tighter.put("instances", 10L);
        tighter.put("vcpus", 3L); // t2.nano: 1 vCPU, 512 MiB
        quotas.setForUser(admin, alice.userId(), tighter);
        launch(subnet);
        assertEquals("VcpuLimitExceeded", code(() -> launch(subnet)));
        quotas.setForUser(admin, alice.userId(), Map.of("vcpus", 10L, "memory_mib", 2000L));
        assertEquals("MemoryLimitExceeded", code(() -> launch(subnet)), "3 x 512 MiB in use, 512 more > 2000");

        Map<String, Quota> mine = byResource(quotas.mine(alice));
        assertEquals(3L, mine.get("instances").usage());
        assertEquals(10L, mine.get("instances").limit());
        assertFalse(mine.get("instances").isDefault());
        assertEquals(1536L, mine.get("memory_mib").usage());
        assertTrue(mine.get("vpcs").isDefault());
    }

    @Test
    void vpcsAddressesGroupsAndRulesStopAtTheirLimits() {
        quotas.setForUser(admin, alice.userId(), Map.of("vpcs", 1L, "elastic_ips", 1L, "security_groups", 2L,
                "rules_per_security_group", 2L));
        Vpc vpc = f.vpc(alice);
        long vpcs = f.count("SELECT COUNT(*) FROM vpcs WHERE user_id = ?", alice.userId());
        assertEquals("VpcLimitExceeded", code(() -> f.vpc(alice)));
        assertEquals(vpcs, f.count("SELECT COUNT(*) FROM vpcs WHERE user_id = ?", alice.userId()));

        addresses.allocate(alice, null);
        assertEquals("AddressLimitExceeded", code(() -> addresses.allocate(alice, null)));

        // The VPC's default group counts: one more fits.
        String group = f.groups.create(alice, new CreateSecurityGroup(vpc.id(), "web", "web servers")).id();
        assertEquals("SecurityGroupLimitExceeded",
                code(() -> f.groups.create(alice, new CreateSecurityGroup(vpc.id(), "db", null))));
        // A new group has its outbound rule: one more fits.
        f.groups.addRule(alice, group, new CreateSecurityGroupRule("inbound", "tcp", 80, 80, "0.0.0.0/0", null));
        long rules = f.count("SELECT COUNT(*) FROM security_group_rules WHERE security_group_id = ?", group);
        assertEquals("RulesPerSecurityGroupLimitExceeded", code(() -> f.groups.addRule(alice, group,
                new CreateSecurityGroupRule("inbound", "tcp", 443, 443, "0.0.0.0/0", null))));
        assertEquals(rules, f.count("SELECT COUNT(*) FROM security_group_rules WHERE security_group_id = ?", group));

        // Back to the defaults: room again.
        Map<String, Long> reset = new HashMap<>();
        reset.put("vpcs", null);
        reset.put("rules_per_security_group", null);
        assertTrue(byResource(quotas.setForUser(admin, alice.userId(), reset)).get("vpcs").isDefault());
        f.vpc(alice);
        f.groups.addRule(alice, group, new CreateSecurityGroupRule("inbound", "tcp", 443, 443, "0.0.0.0/0", null));
    }

    @Test
    void concurrentLaunchesNeverPassTheLimit() throws Exception {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        quotas.setForUser(admin, alice.userId(), Map.of("instances", 3L));
        int launches = 8;
        ExecutorService pool = Executors.newFixedThreadPool(launches);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Instance>> futures = new ArrayList<>();
            for (int n = 0; n < launches; n++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return launch(subnet);
                }));
            }
            go.countDown();
            int launched = 0;
            List<String> refusals = new ArrayList<>();
            for (Future<Instance> future : futures) {
                try {
                    future.get(120, TimeUnit.SECONDS);
                    launched++;
                } catch (ExecutionException e) {
                    refusals.add(e.getCause() instanceof GcpException g ? g.code() : String.valueOf(e.getCause()));
                }
            }
            assertEquals(3, launched, "refusals: " + refusals);
            assertEquals(List.of("InstanceLimitExceeded"), refusals.stream().distinct().toList());
            assertEquals(3, instanceRows());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyAdminsSetQuotasAndBadLimitsAreRefused() {
        Caller bob = f.tenant("bob");
        assertEquals("UnauthorizedOperation", code(() -> quotas.setForUser(bob, bob.userId(), Map.of("vpcs", 99L))));
        assertEquals("UnauthorizedOperation", code(() -> quotas.forUser(bob, alice.userId())));
        assertEquals("UnauthorizedOperation", code(() -> quotas.setDefaults(bob, Map.of("vpcs", 99L))));
        assertEquals("InvalidParameterValue", code(() -> quotas.setForUser(admin, bob.userId(), Map.of("cpus", 1L))));
        assertEquals("InvalidParameterValue", code(() -> quotas.setForUser(admin, bob.userId(), Map.of("vpcs", -1L))));
        assertEquals("MissingParameter", code(() -> quotas.setForUser(admin, bob.userId(), Map.of())));
        assertEquals("InvalidUserID.NotFound",
                code(() -> quotas.setForUser(admin, UUID.randomUUID().toString(), Map.of("vpcs", 1L))));
        assertEquals("InvalidUserID.Malformed", code(() -> quotas.forUser(admin, "x")));

        // A default applies to every tenant without a limit of its own.
        long before = byResource(quotas.defaults(bob)).get("security_groups").limit();
        try {
            quotas.setDefaults(admin, Map.of("security_groups", 1L));
            Vpc vpc = f.vpc(bob); // its default group is the one
            assertEquals("SecurityGroupLimitExceeded",
                    code(() -> f.groups.create(bob, new CreateSecurityGroup(vpc.id(), "extra", null))));
            assertEquals(1L, byResource(quotas.forUser(admin, bob.userId())).get("security_groups").limit());
        } finally {
            quotas.setDefaults(admin, Map.of("security_groups", before));
        }
    }
}
