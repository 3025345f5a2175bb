package io.goncloud.core.compute;

import io.goncloud.api.cluster.TaskSender;
import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.SubnetService.CreateSubnet;
import io.goncloud.api.service.VpcService.CreateVpc;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.MutableClock;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.vpc.PublicIpPool;
import io.goncloud.core.vpc.SecurityGroupServiceImpl;
import io.goncloud.core.vpc.SubnetServiceImpl;
import io.goncloud.core.vpc.VpcServiceImpl;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controller's compute services over a real database, with the test standing in for the workers: it
 * takes the tasks the controller sends (through a recording {@link TaskSender}, the transport's interface)
 * and answers with reports, exactly as a worker agent would.
 */
final class ComputeFixture implements AutoCloseable {

    private static final AtomicInteger NEXT_BLOCK = new AtomicInteger(1);

    record Sent(String hostId, WorkerTask task) {
    }

    final TestDatabase testDb;
    final Database db;
    /** Committed writes the database announced (the network agent and the live event streams hear of them). */
    final java.util.concurrent.atomic.AtomicInteger announced = new java.util.concurrent.atomic.AtomicInteger();
    final MutableClock clock = MutableClock.atCurrentSecond();
    final List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    final VpcServiceImpl vpcs;
    final SubnetServiceImpl subnets;
    final SecurityGroupServiceImpl groups;
    final KeyPairServiceImpl keys;
    final InstanceServiceImpl instances;
    final ClusterController cluster;
    private final TaskDispatcher dispatcher;
    final WorkerNodeServiceImpl nodes;
    final AuthServiceImpl auth;
    final String imageId;
    private final PublicIpPool publicPool;
    private final java.util.Map<String, WorkerReport.Capacity> capacities = new java.util.concurrent.ConcurrentHashMap<>();

    ComputeFixture(TestDatabase.Kind kind, String publicPool) {
        testDb = TestDatabase.create(kind);
        db = testDb.database(announced::incrementAndGet);
        dispatcher = new TaskDispatcher((host, task) -> sent.add(new Sent(host, task)));
        vpcs = new VpcServiceImpl(db);
        subnets = new SubnetServiceImpl(db, List.of("zone-a"));
        groups = new SecurityGroupServiceImpl(db);
        keys = new KeyPairServiceImpl(db);
        this.publicPool = new PublicIpPool(publicPool, 4);
        instances = new InstanceServiceImpl(db, dispatcher, this.publicPool, Duration.ofSeconds(30), clock);
        cluster = new ClusterController(db, dispatcher, config(30, 15, 60), clock, false);
        nodes = new WorkerNodeServiceImpl(db);
        auth = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4, Clock.systemUTC());
        imageId = UUID.randomUUID().toString();
        db.run(em -> em.createNativeQuery("INSERT INTO images (id, name, os, version, architecture, format, location, "
                        + "is_public, size, created_at) VALUES (?, 'busybox', 'linux', '1', 'x86_64', 'docker-rootfs', "
                        + "'/var/lib/gcp/images/test.tar', TRUE, 1, ?)")
                .setParameter(1, imageId).setParameter(2, Database.now()).executeUpdate());
    }

    /** The controller as it comes back after a restart, now (the clock's time). */
    ClusterController restartedController() {
        return new ClusterController(db, dispatcher, config(30, 15, 60), clock, false);
    }

    static ClusterConfig config(long nodeTimeout, long resend, long retentionMinutes) {
        return new ClusterConfig() {
            @Override
            public long node_timeout_seconds() {
                return nodeTimeout;
            }

            @Override
            public long task_resend_seconds() {
                return resend;
            }

            @Override
            public long terminated_retention_minutes() {
                return retentionMinutes;
            }

            @Override
            public long sweep_seconds() {
                return 5;
            }

            @Override
            public String placement() {
                return "spread";
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ClusterConfig.class;
            }
        };
    }

    Caller tenant(String name) {
        User user = auth.register(name, name + "-" + UUID.randomUUID() + "@example.test", "password-" + name);
        return Caller.user(user.id(), Role.USER);
    }

    Vpc vpc(Caller owner) {
        int n = NEXT_BLOCK.getAndIncrement() % 250 + 1;
        return vpcs.create(owner, new CreateVpc("vpc-" + n, "10." + n + ".0.0/16", null), null);
    }

    Subnet subnet(Caller owner, Vpc vpc, int third, boolean mapPublicIp) {
        String block = vpc.cidrBlock().replaceFirst("\\.0\\.0/16$", "." + third + ".0/24");
        return subnets.create(owner, new CreateSubnet(vpc.id(), "s" + third, block, null, mapPublicIp, mapPublicIp));
    }

    /** The instance service with another placement strategy, over the same database, tasks and clock. */
    InstanceServiceImpl instancesPlacing(Placement.Strategy strategy) {
        return new InstanceServiceImpl(db, dispatcher, publicPool, Duration.ofSeconds(30), strategy, clock);
    }

    /** A worker's heartbeat, as its agent sends it. */
    void heartbeat(String host, int vcpus, int memoryMiB, List<WorkerReport.InstanceReport> inventory) {
        capacities.put(host, new WorkerReport.Capacity(vcpus, memoryMiB, 100));
        cluster.handle(new WorkerReport(host, "192.0.2.10", capacities.get(host),
                List.of("compute:docker", "image-format:docker-rootfs"), inventory, true, Instant.now()));
    }

    /** A heartbeat stamped by a worker whose clock says {@code sentAt}, with its inventory. */
    void heartbeatSentAt(String host, Instant sentAt, List<WorkerReport.InstanceReport> inventory) {
        capacities.put(host, new WorkerReport.Capacity(4, 2048, 100));
        cluster.handle(new WorkerReport(host, "192.0.2.10", capacities.get(host),
                List.of("compute:docker", "image-format:docker-rootfs"), inventory, true, sentAt));
    }

    /** A heartbeat of a worker with an underlay address (null: none), as its agent sends it. */
    void heartbeat(String host, String underlayAddress) {
        capacities.put(host, new WorkerReport.Capacity(8, 8192, 100));
        cluster.handle(new WorkerReport(host, "192.0.2.10", capacities.get(host),
                List.of("compute:docker", "image-format:docker-rootfs"), List.of(), true, Instant.now(),
                underlayAddress));
    }

    /** The worker's answer to a task. */
    void answer(Sent sent, InstanceStatus.PowerState power, String error) {
        InstanceStatus status = power == null ? null : new InstanceStatus(sent.task().instanceId(), power, null);
        cluster.handle(new WorkerReport(sent.hostId(), "192.0.2.10", capacities.get(sent.hostId()),
                List.of("compute:docker", "image-format:docker-rootfs"),
                List.of(new WorkerReport.InstanceReport(sent.task().instanceId(), status, sent.task().taskId(), error)),
                false, Instant.now()));
    }

    /** The worker's answer to a console output request (a report that carries the text). */
    void answerConsole(Sent sent, String output, String error) {
        cluster.handle(new WorkerReport(sent.hostId(), "192.0.2.10", capacities.get(sent.hostId()),
                List.of("compute:docker", "image-format:docker-rootfs"),
                List.of(new WorkerReport.InstanceReport(sent.task().instanceId(), null, sent.task().taskId(), error,
                        output)), false, Instant.now()));
    }

    /** Waits (a few seconds at most) for the next task sent, which a concurrent request is waiting on. */
    Sent awaitSent() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<Sent> out = takeSent();
            if (!out.isEmpty()) {
                if (out.size() > 1) {
                    throw new AssertionError("one task expected: " + out);
                }
                return out.get(0);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no task sent");
    }

    /** The tasks sent since the last call, oldest first. */
    List<Sent> takeSent() {
        List<Sent> out = new ArrayList<>(sent);
        sent.removeAll(out);
        return out;
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

    @Override
    public void close() {
        testDb.close();
    }
}
