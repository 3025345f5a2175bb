package io.goncloud.rest;

import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.model.Role;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.auth.UserServiceImpl;
import io.goncloud.core.catalog.CatalogServiceImpl;
import io.goncloud.core.catalog.ImageServiceImpl;
import io.goncloud.core.compute.ClusterConfig;
import io.goncloud.core.compute.ClusterController;
import io.goncloud.core.compute.InstanceServiceImpl;
import io.goncloud.core.compute.KeyPairServiceImpl;
import io.goncloud.core.compute.TaskDispatcher;
import io.goncloud.core.compute.WorkerNodeServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.storage.StorageStateServiceImpl;
import io.goncloud.core.storage.VolumeServiceImpl;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.vpc.ElasticIpServiceImpl;
import io.goncloud.core.vpc.InternetGatewayServiceImpl;
import io.goncloud.core.vpc.NetworkAclServiceImpl;
import io.goncloud.core.vpc.PublicIpPool;
import io.goncloud.core.vpc.RouteTableServiceImpl;
import io.goncloud.core.vpc.SecurityGroupServiceImpl;
import io.goncloud.core.vpc.SubnetServiceImpl;
import io.goncloud.core.vpc.VpcServiceImpl;
import io.goncloud.rest.internal.ChangeFeed;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The API as Karaf serves it, for HTTP tests: the real services on a fresh database, the endpoint on
 * CXF's servlet mounted at /api in Jetty (as pax-web mounts it). The database wakes the live event
 * streams after each commit, as DatabaseComponent does. The test plays the workers: it takes the tasks the
 * controller sends (a recording TaskSender, the transport's interface) and answers with reports.
 */
final class ApiFixture implements AutoCloseable {

    static final List<String> CAPABILITIES = List.of("compute:docker", "image-format:docker-rootfs");

    /** A task the controller sent to a worker. */
    record Sent(String hostId, WorkerTask task) {
    }

    final TestDatabase testDb;
    final Database db;
    final HttpApi api;
    final AuthServiceImpl auth;
    final ClusterController cluster;
    final InstanceServiceImpl instances;
    final VolumeServiceImpl volumes;
    /** Where the test, playing a host's storage agent, reports what the host holds. */
    final StorageStateServiceImpl storage;
    final ChangeFeed changes = new ChangeFeed(ChangeFeed.DEFAULT_MAX_STREAMS_PER_USER);
    final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    final Path imageStore;
    private final Map<String, WorkerReport.Capacity> capacities = new ConcurrentHashMap<>();
    private final Bus bus;
    private final Server server;
    private final org.eclipse.jetty.server.Server jetty;

    ApiFixture(TestDatabase.Kind kind) {
        testDb = TestDatabase.create(kind);
        db = testDb.database(changes::desiredStateChanged);
        try {
            imageStore = Files.createTempDirectory("gcp-images");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        auth = new AuthServiceImpl(db, "a-test-secret-of-at-least-32-bytes!!".getBytes(),
                Duration.ofMinutes(15), Duration.ofDays(7), 4, Clock.systemUTC());
        TaskDispatcher dispatcher = new TaskDispatcher((host, task) -> sent.add(new Sent(host, task)));
        PublicIpPool pool = new PublicIpPool(PublicIpPool.DEFAULT_CIDR, PublicIpPool.DEFAULT_RESERVED);
        cluster = new ClusterController(db, dispatcher, clusterConfig(), Clock.systemUTC(), false);
        instances = new InstanceServiceImpl(db, dispatcher, pool, Duration.ofSeconds(30), Clock.systemUTC());
        volumes = new VolumeServiceImpl(db);
        storage = new StorageStateServiceImpl(db);
        bus = BusFactory.newInstance().createBus();
        jetty = startServletContainer(bus);
        server = ApiEndpoint.start(bus, "/v1",
                new ApiEndpoint.Services(auth, new UserServiceImpl(db), new VpcServiceImpl(db),
                        new SubnetServiceImpl(db, List.of("gcp-zone-1")), new CatalogServiceImpl(db),
                        new RouteTableServiceImpl(db), new InternetGatewayServiceImpl(db),
                        new SecurityGroupServiceImpl(db), new NetworkAclServiceImpl(db),
                        new ElasticIpServiceImpl(db, pool),
                        instances,
                        new KeyPairServiceImpl(db), new ImageServiceImpl(db, imageStore),
                        new WorkerNodeServiceImpl(db), new io.goncloud.core.quota.QuotaServiceImpl(db), volumes),
                changes, ApiEndpoint.DEFAULT_MAX_BODY_BYTES);
        api = new HttpApi("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/api/v1");
    }

    private static ClusterConfig clusterConfig() {
        return new ClusterConfig() {
            @Override
            public long node_timeout_seconds() {
                return 30;
            }

            @Override
            public long task_resend_seconds() {
                return 15;
            }

            @Override
            public long terminated_retention_minutes() {
                return 60;
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

    /** An administrator's access token. */
    String adminToken() {
        String email = "admin-" + java.util.UUID.randomUUID() + "@example.test";
        auth.createUser("admin", email, "password-admin", Role.ADMIN);
        return auth.login(email, "password-admin").accessToken();
    }

    /** A worker's heartbeat, as its agent sends it. */
    void heartbeat(String host, int vcpus, int memoryMiB) {
        capacities.put(host, new WorkerReport.Capacity(vcpus, memoryMiB, 100));
        cluster.handle(new WorkerReport(host, "192.0.2.10", capacities.get(host), CAPABILITIES, List.of(), false,
                Instant.now()));
    }

    /** The worker's answer to a task: the instance is now in {@code power}, or gone when {@code null}. */
    void answer(Sent task, InstanceStatus.PowerState power) {
        InstanceStatus status = power == null ? null : new InstanceStatus(task.task().instanceId(), power, null);
        cluster.handle(new WorkerReport(task.hostId(), "192.0.2.10", capacities.get(task.hostId()), CAPABILITIES,
                List.of(new WorkerReport.InstanceReport(task.task().instanceId(), status, task.task().taskId(), null)),
                false, Instant.now()));
    }

    /** The worker's answer to a console output request. */
    void answerConsole(Sent task, String output) {
        cluster.handle(new WorkerReport(task.hostId(), "192.0.2.10", capacities.get(task.hostId()), CAPABILITIES,
                List.of(new WorkerReport.InstanceReport(task.task().instanceId(), null, task.task().taskId(), null,
                        output)), false, Instant.now()));
    }

    /**
     * A host's storage agent reports, as its pass ends: one pool of {@code capacityGib}, holding the volumes and
     * snapshots listed (of 1 GiB each, as far as the report says).
     */
    void storageHost(String host, long capacityGib, List<String> volumeIds, List<String> snapshotIds) {
        long gib = 1L << 30;
        storage.observed(host, new io.goncloud.api.service.StorageStateService.ObservedStorage(
                List.of(new io.goncloud.api.spi.storage.StoragePool("default", "/pool", capacityGib * gib,
                        capacityGib * gib, 0, "")),
                volumeIds.stream().map(id -> new io.goncloud.api.spi.storage.VolumeInfo(id, "default", gib, 0,
                        "gcp-vol-" + id)).toList(),
                snapshotIds.stream().map(id -> new io.goncloud.api.spi.storage.SnapshotInfo(id, "default", gib,
                        "gcp-snap-" + id)).toList(),
                Map.of()));
    }

    /** The tasks sent since the last call, oldest first. */
    List<Sent> takeSent() {
        List<Sent> out = new ArrayList<>();
        sent.drainTo(out);
        return out;
    }

    private static org.eclipse.jetty.server.Server startServletContainer(Bus bus) {
        CXFNonSpringServlet servlet = new CXFNonSpringServlet();
        servlet.setBus(bus);
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/api");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setInitParameter("hide-service-list-page", "true"); // as etc/org.apache.cxf.osgi.cfg does
        context.addServlet(holder, "/*");
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Jetty", e);
        }
        return jetty;
    }

    @Override
    public void close() {
        try {
            changes.close();
            server.destroy();
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            bus.shutdown(true);
            testDb.close();
            deleteTree(imageStore);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
