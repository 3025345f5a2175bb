package io.goncloud.agent;

import io.goncloud.api.cluster.ReportSender;
import io.goncloud.api.cluster.TaskSender;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.service.SubnetService.CreateSubnet;
import io.goncloud.api.service.VpcService.CreateVpc;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.compute.ClusterConfig;
import io.goncloud.core.compute.ClusterController;
import io.goncloud.core.compute.InstanceServiceImpl;
import io.goncloud.core.compute.TaskDispatcher;
import io.goncloud.core.dataplane.NetworkStateServiceImpl;
import io.goncloud.core.images.BusyboxRootfs;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.vpc.PublicIpPool;
import io.goncloud.core.vpc.SecurityGroupServiceImpl;
import io.goncloud.core.vpc.SubnetServiceImpl;
import io.goncloud.core.vpc.VpcServiceImpl;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.driver.docker.DockerComputeDriver;
import io.goncloud.driver.libvirt.LibvirtComputeDriver;
import io.goncloud.driver.linuxbridge.LinuxBridgeNetworkDriver;
import io.goncloud.driver.nftables.NftablesFirewallDriver;
import org.junit.jupiter.api.Assumptions;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One worker host for real, and the controller's services over a database: the instance service sends tasks to
 * the worker's instance agent, which runs busybox containers through the Docker driver (image built from the
 * host's busybox) plugged into VPCs that the network agent builds with the Linux-bridge and nftables drivers in
 * a namespace standing for the worker host. The transport between controller and worker is a direct call (the
 * Artemis transport has its own tests, and the all-in-one test runs the whole thing over the broker), with
 * switches that make it fail the way a dead broker or a dead agent would.
 */
final class InstanceWorld implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    /** A web server that comes back at every boot: user data runs once, /etc/rc.local at each boot. */
    static final String WEB_SERVER = "#!/bin/sh\nmkdir -p /www && echo pong > /www/index.html\n"
            + "printf '#!/bin/sh\\nhttpd -p 8080 -h /www\\n' > /etc/rc.local && chmod +x /etc/rc.local\n";

    final Namespaces namespaces = new Namespaces();
    final String host;
    final Database db;
    final Caller alice;
    final VpcServiceImpl vpcs;
    final SubnetServiceImpl subnets;
    final SecurityGroupServiceImpl groups;
    final InstanceServiceImpl instances;
    final ClusterController cluster;
    final NetworkAgent network;
    /** The Docker driver, confined to this world's instances (see {@link ScopedComputeDriver}). */
    final ComputeDriver docker;
    private final DockerComputeDriver rawDocker;
    /** The Docker driver's instance files (mounted into the containers). */
    private final Path dockerStateDir;
    /** Instances of this world: only these are visible to its agent. */
    private final Set<String> owned = ConcurrentHashMap.newKeySet();
    /** The libvirt driver once {@link #addLibvirt} was called, confined like {@link #docker}. */
    volatile ComputeDriver libvirt;
    private LibvirtComputeDriver rawLibvirt;
    final String imageId;
    private final java.nio.file.Path dhcpStateDir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
            "gcpta" + ProcessHandle.current().pid() + "-world-dhcp");
    /** When set, sending a task fails as with the broker down. */
    volatile boolean brokerDown;
    /** When set, the agent does its work but its reports are lost, as when it dies right before reporting. */
    volatile boolean reportsLost;
    /** When set, the worker agent "dies": tasks reach nobody and nothing is reported. */
    volatile boolean agentDead;
    volatile InstanceAgent worker;

    private final TestDatabase testDb;
    private final ExecutorService transport = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-transport"));
    private final List<String> vpcIds = new ArrayList<>();

    /** Skips the calling test class unless this machine can run instances. */
    static void assumeUsable() {
        Assumptions.assumeTrue(Namespaces.exec("id", "-u").output().strip().equals("0"),
                "instances need root (network namespaces, moving devices into containers)");
        DockerComputeDriver probe = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, "");
        Assumptions.assumeTrue(probe.probe().usable(), "needs a running dockerd (the README's test command starts "
                + "one): " + probe.probe().detail());
        Assumptions.assumeTrue(Files.isExecutable(BusyboxRootfs.DEFAULT_BUSYBOX), "needs busybox-static for the image");
    }

    /** @param taskResend seconds after which the controller's sweep resends an unanswered task */
    InstanceWorld(long taskResend) throws Exception {
        assumeUsable();
        Namespaces.removeLeftovers();
        host = namespaces.create("host");
        dockerStateDir = Files.createTempDirectory("gcp-docker-state");
        rawDocker = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, host, "", dockerStateDir.toString());
        docker = new ScopedComputeDriver(rawDocker, owned);
        testDb = TestDatabase.create(TestDatabase.Kind.H2);
        NetworkAgent[] networkRef = new NetworkAgent[1];
        db = testDb.database(() -> {
            if (networkRef[0] != null) {
                networkRef[0].desiredStateChanged();
            }
        });
        User user = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4,
                Clock.systemUTC()).register("alice", "alice-" + UUID.randomUUID() + "@example.test", "password-alice");
        alice = Caller.user(user.id(), Role.USER);
        vpcs = new VpcServiceImpl(db);
        subnets = new SubnetServiceImpl(db, List.of("gcp-zone-1"));
        groups = new SecurityGroupServiceImpl(db);

        imageId = UUID.randomUUID().toString();
        Path tarball = Files.createTempDirectory("gcp-images").resolve(imageId + ".tar");
        new BusyboxRootfs(BusyboxRootfs.DEFAULT_BUSYBOX).writeTo(tarball);
        db.run(em -> em.createNativeQuery("INSERT INTO images (id, name, os, version, architecture, format, location, "
                        + "is_public, size, created_at) VALUES (?, 'busybox', 'linux', '1', 'x86_64', 'docker-rootfs', ?, "
                        + "TRUE, 1, ?)")
                .setParameter(1, imageId).setParameter(2, tarball.toString()).setParameter(3, Database.now())
                .executeUpdate());

        network = new NetworkAgent(new NetworkStateServiceImpl(db,
                NetworkStateServiceImpl.provider("203.0.113.0/24", "gcp-provider", "203.0.113.1")), networkConfig());
        String hostNetns = host;
        network.addNetworkDriver(new LinuxBridgeNetworkDriver(new LinuxBridgeNetworkDriver.Config() {
            public String host_netns() { return hostNetns; }
            public String dhcp_state_dir() { return dhcpStateDir.toString(); }
            public String owner() { return ""; }
            public Class<? extends Annotation> annotationType() { return LinuxBridgeNetworkDriver.Config.class; }
        }));
        network.addFirewallDriver(new NftablesFirewallDriver(new NftablesFirewallDriver.Config() {
            public String host_netns() { return hostNetns; }
            public Class<? extends Annotation> annotationType() { return NftablesFirewallDriver.Config.class; }
        }));
        networkRef[0] = network;

        TaskSender tasks = (hostId, task) -> {
            if (brokerDown) {
                throw new IllegalStateException("the broker is down");
            }
            transport.execute(() -> {
                if (!agentDead) {
                    try {
                        worker.handle(task);
                    } catch (RuntimeException e) {
                        // the transport would redeliver; here the controller's sweep resends
                    }
                }
            });
        };
        TaskDispatcher dispatcher = new TaskDispatcher(tasks);
        cluster = new ClusterController(db, dispatcher, clusterConfig(taskResend), Clock.systemUTC(), false);
        instances = new InstanceServiceImpl(db, dispatcher, new PublicIpPool("203.0.113.0/24", 16),
                Duration.ofSeconds(3600), Clock.systemUTC());
        startAgent();
    }

    /** Starts a (new) instance agent for the host, as a restarted worker process would, and sends its heartbeat. */
    void startAgent() {
        if (worker != null) {
            worker.stop();
        }
        ReportSender reports = report -> {
            if (brokerDown || agentDead || reportsLost) {
                throw new IllegalStateException("cannot report: the broker or the agent is down");
            }
            cluster.handle(report);
        };
        InstanceAgent agent = new InstanceAgent(network, workerConfig(), reports);
        agent.addComputeDriver(docker);
        if (libvirt != null) {
            agent.addComputeDriver(libvirt);
        }
        worker = agent;
        agent.heartbeat();
    }

    /**
     * Adds the libvirt compute driver to the worker, confined as the platform's own would be: the network driver's
     * veths are in the world's host namespace ({@code host.netns}), instance directories in {@code stateDir}.
     * Instances left in {@code stateDir} by an interrupted run are destroyed first (the directory is this test's).
     */
    ComputeDriver addLibvirt(Path stateDir) throws java.io.IOException {
        Files.createDirectories(stateDir);
        rawLibvirt = LibvirtComputeDriver.open(LibvirtComputeDriver.DEFAULT_URI, host, stateDir, "auto");
        try (var dirs = Files.list(stateDir)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(LibvirtComputeDriver.DOMAIN_PREFIX)) {
                    try {
                        rawLibvirt.destroy(name.substring(LibvirtComputeDriver.DOMAIN_PREFIX.length()));
                    } catch (RuntimeException e) {
                        System.err.println("cannot remove the stale instance " + name + ": " + e.getMessage());
                    }
                }
            }
        }
        libvirt = new ScopedComputeDriver(rawLibvirt, owned);
        worker.addComputeDriver(libvirt);
        return libvirt;
    }

    Subnet subnet(String vpcCidr) {
        Vpc vpc = vpcs.create(alice, new CreateVpc("v", vpcCidr, null), null);
        vpcIds.add(vpc.id());
        return subnets.create(alice, new CreateSubnet(vpc.id(), "s", vpcCidr.replace(".0.0/16", ".1.0/24"), null,
                null, null));
    }

    Instance launch(Subnet subnet, String name, List<String> groupIds) {
        return launch(subnet, name, groupIds, imageId, WEB_SERVER);
    }

    Instance launch(Subnet subnet, String name, List<String> groupIds, String image, String userData) {
        Instance i = instances.launch(alice, new LaunchInstance(name, "t2.nano", image, subnet.id(), groupIds, null,
                userData, null));
        owned.add(i.id());
        return i;
    }

    Instance launchRunning(Subnet subnet, String name, List<String> groupIds) {
        return awaitState(launch(subnet, name, groupIds), "running");
    }

    Instance awaitState(Instance i, String state) {
        return awaitState(i, state, DEADLINE);
    }

    Instance awaitState(Instance i, String state, Duration within) {
        assertTrue(Namespaces.eventually(within, () -> state.equals(instances.get(alice, i.id()).state())),
                i.name() + " should become " + state + ": " + instances.get(alice, i.id()) + "; network: "
                        + network.lastOutcome());
        return instances.get(alice, i.id());
    }

    /**
     * Whether {@code from} gets "pong" from the web server of {@code to}. The request goes through busybox nc:
     * Debian's static busybox wget crashes on this kernel (SIGSEGV, also outside containers).
     */
    static boolean reaches(Instance from, Instance to) {
        return Namespaces.exec("docker", "exec", "gcp-" + from.id(), "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + to.privateIp() + " 8080").output().contains("pong");
    }

    static boolean eventuallyReaches(Instance from, Instance to) {
        return Namespaces.eventually(Duration.ofSeconds(20), () -> reaches(from, to));
    }

    /** How many containers of this instance exist on the host (the platform names them after the instance). */
    static long containers(String instanceId) {
        return Namespaces.exec("docker", "ps", "-a", "-q", "--filter", "name=^gcp-" + instanceId + "$").output()
                .lines().filter(l -> !l.isBlank()).count();
    }

    @Override
    public void close() {
        agentDead = true;
        transport.shutdownNow();
        for (String id : owned) {
            try {
                rawDocker.destroy(id);
            } catch (RuntimeException e) {
                // already gone
            }
            if (rawLibvirt != null) {
                try {
                    rawLibvirt.destroy(id);
                } catch (RuntimeException e) {
                    System.err.println("cannot destroy VM " + id + ": " + e.getMessage());
                }
            }
        }
        if (rawLibvirt != null) {
            rawLibvirt.close();
        }
        if (worker != null) {
            worker.stop();
        }
        network.stop();
        namespaces.deleteAll();
        for (String id : vpcIds) {
            // Its DHCP servers first: a process in a namespace keeps it alive after its name is deleted.
            Namespaces.killAllIn(HostNames.routerNamespace(id));
            Namespaces.exec("ip", "netns", "del", HostNames.routerNamespace(id));
        }
        Namespaces.exec("rm", "-rf", dhcpStateDir.toString(), dockerStateDir.toString());
        Namespaces.exec("docker", "image", "rm", "-f", "gcp-image:" + imageId);
        testDb.close();
    }

    private static NetworkAgent.Config networkConfig() {
        return new NetworkAgent.Config() {
            public String host_id() { return "scenario-host"; }
            public String network_driver() { return ""; }
            public String firewall_driver() { return ""; }
            public long resync_seconds() { return 3600; }
            public boolean enabled() { return true; }
            public Class<? extends Annotation> annotationType() { return NetworkAgent.Config.class; }
        };
    }

    private static WorkerConfig workerConfig() {
        return new WorkerConfig() {
            public String host_id() { return "scenario-host"; }
            public boolean instances_enabled() { return false; } // the tests send heartbeats themselves
            public long heartbeat_seconds() { return 3600; }
            public double cpu_allocation_ratio() { return 16; }
            public double memory_allocation_ratio() { return 1; }
            public long stop_grace_seconds() { return 5; }
            public String underlay_address() { return ""; }
            public Class<? extends Annotation> annotationType() { return WorkerConfig.class; }
        };
    }

    private static ClusterConfig clusterConfig(long taskResend) {
        return new ClusterConfig() {
            public long node_timeout_seconds() { return 3600; }
            public long task_resend_seconds() { return taskResend; }
            public long terminated_retention_minutes() { return 60; }
            public long sweep_seconds() { return 3600; }
            public String placement() { return "spread"; }
            public Class<? extends Annotation> annotationType() { return ClusterConfig.class; }
        };
    }
}
