package io.goncloud.agent;

import io.goncloud.api.cluster.TaskSender;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.SecurityGroupRule;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroupRule;
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
import io.goncloud.driver.docker.DockerComputeDriver;
import io.goncloud.driver.linuxbridge.LinuxBridgeNetworkDriver;
import io.goncloud.driver.nftables.NftablesFirewallDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances end to end on one worker, for real: tenant calls on the instance service go to the worker's
 * instance agent as tasks, which launches busybox containers through the Docker driver (from a root-file-system
 * tarball built from the host's busybox) and plugs them into the VPC that the network agent built with the
 * Linux-bridge and nftables drivers in a worker-host namespace; the agent's reports move the instances
 * through their life cycle. The transport between them is a direct call here (the Artemis transport has its
 * own tests, and the all-in-one test runs the whole thing over the broker).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceScenarioTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** User data: a web server started at every boot through /etc/rc.local (user data itself runs once). */
    private static final String WEB_SERVER = "#!/bin/sh\nmkdir -p /www && echo pong > /www/index.html\n"
            + "printf '#!/bin/sh\\nhttpd -p 8080 -h /www\\n' > /etc/rc.local && chmod +x /etc/rc.local\n";

    private final Namespaces namespaces = new Namespaces();
    private final ExecutorService transport = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-transport"));
    private final List<String> vpcIds = new ArrayList<>();
    private TestDatabase testDb;
    private NetworkAgent network;
    private InstanceAgent worker;
    private DockerComputeDriver docker;
    private InstanceServiceImpl instances;
    private SecurityGroupServiceImpl groups;
    private VpcServiceImpl vpcs;
    private SubnetServiceImpl subnets;
    private Caller alice;
    private String imageId;
    private Path imageDir;

    @BeforeAll
    void buildWorld() throws Exception {
        Assumptions.assumeTrue(Namespaces.exec("id", "-u").output().strip().equals("0"),
                "instances need root (network namespaces, moving devices into containers)");
        docker = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, "");
        Assumptions.assumeTrue(docker.probe().usable(), "needs a running dockerd (the README's test command starts "
                + "one): " + docker.probe().detail());
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static for the image");
        Namespaces.removeLeftovers();
        String host = namespaces.create("host");
        docker = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, host);

        testDb = TestDatabase.create(TestDatabase.Kind.H2);
        Database db = testDb.database(() -> {
            if (network != null) {
                network.desiredStateChanged();
            }
        });
        User user = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4,
                Clock.systemUTC()).register("alice", "alice-" + UUID.randomUUID() + "@example.test", "password-alice");
        alice = Caller.user(user.id(), Role.USER);
        vpcs = new VpcServiceImpl(db);
        subnets = new SubnetServiceImpl(db, List.of("gcp-zone-1"));
        groups = new SecurityGroupServiceImpl(db);

        imageDir = Files.createTempDirectory("gcp-images");
        imageId = UUID.randomUUID().toString();
        Path tarball = imageDir.resolve(imageId + ".tar");
        new BusyboxRootfs(Path.of("/bin/busybox")).writeTo(tarball);
        db.run(em -> em.createNativeQuery("INSERT INTO images (id, name, os, version, architecture, format, location, "
                        + "is_public, size, created_at) VALUES (?, 'busybox', 'linux', '1', 'x86_64', 'docker-rootfs', ?, "
                        + "TRUE, 1, ?)")
                .setParameter(1, imageId).setParameter(2, tarball.toString()).setParameter(3, Database.now())
                .executeUpdate());

        network = new NetworkAgent(new NetworkStateServiceImpl(db,
                NetworkStateServiceImpl.provider("203.0.113.0/24", "gcp-provider", "203.0.113.1")), networkConfig());
        network.addNetworkDriver(new LinuxBridgeNetworkDriver(new LinuxBridgeNetworkDriver.Config() {
            public String host_netns() { return host; }
            public Class<? extends Annotation> annotationType() { return LinuxBridgeNetworkDriver.Config.class; }
        }));
        network.addFirewallDriver(new NftablesFirewallDriver(new NftablesFirewallDriver.Config() {
            public String host_netns() { return host; }
            public Class<? extends Annotation> annotationType() { return NftablesFirewallDriver.Config.class; }
        }));

        ClusterController[] cluster = new ClusterController[1];
        TaskSender tasks = (hostId, task) -> transport.execute(() -> worker.handle(task));
        TaskDispatcher dispatcher = new TaskDispatcher(tasks);
        cluster[0] = new ClusterController(db, dispatcher, clusterConfig(), Clock.systemUTC(), false);
        instances = new InstanceServiceImpl(db, dispatcher, new PublicIpPool("203.0.113.0/24", 16),
                Duration.ofSeconds(30), Clock.systemUTC());
        worker = new InstanceAgent(network, workerConfig(), report -> cluster[0].handle(report));
        worker.addComputeDriver(docker);
        worker.heartbeat(); // registers the worker node
    }

    @AfterAll
    void tearDown() {
        for (var driver : List.of(docker)) {
            if (driver != null) {
                driver.list().stream().filter(s -> launched.contains(s.instanceId()))
                        .forEach(s -> driver.destroy(s.instanceId()));
            }
        }
        transport.shutdownNow();
        if (worker != null) {
            worker.stop();
        }
        if (network != null) {
            network.stop();
        }
        namespaces.deleteAll();
        vpcIds.forEach(id -> Namespaces.exec("ip", "netns", "del", HostNames.routerNamespace(id)));
        if (imageId != null) {
            Namespaces.exec("docker", "image", "rm", "-f", "gcp-image:" + imageId);
        }
        if (testDb != null) {
            testDb.close();
        }
    }

    private final List<String> launched = new ArrayList<>();

    private Subnet subnet(String cidr) {
        Vpc vpc = vpcs.create(alice, new CreateVpc("v", cidr, null), null);
        vpcIds.add(vpc.id());
        return subnets.create(alice, new CreateSubnet(vpc.id(), "s", cidr.replace(".0.0/16", ".1.0/24"), null, null, null));
    }

    private Instance launchRunning(Subnet subnet, String name, List<String> groupIds) {
        Instance i = instances.launch(alice, new LaunchInstance(name, "t2.nano", imageId, subnet.id(), groupIds, null,
                WEB_SERVER, null));
        launched.add(i.id());
        return awaitState(i, "running");
    }

    private Instance awaitState(Instance i, String state) {
        assertTrue(Namespaces.eventually(DEADLINE, () -> state.equals(instances.get(alice, i.id()).state())),
                i.name() + " should become " + state + ": " + instances.get(alice, i.id()) + "; network: "
                        + network.lastOutcome());
        return instances.get(alice, i.id());
    }

    /**
     * Whether {@code from} gets "pong" from the web server of {@code to}. The request goes through busybox nc:
     * Debian's static busybox wget crashes on this kernel (SIGSEGV, also outside containers).
     */
    private static boolean reaches(Instance from, Instance to) {
        return Namespaces.exec("docker", "exec", "gcp-" + from.id(), "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + to.privateIp() + " 8080").output().contains("pong");
    }

    private boolean eventuallyReaches(Instance from, Instance to) {
        boolean reached = Namespaces.eventually(Duration.ofSeconds(20), () -> reaches(from, to));
        if (!reached) {
            System.err.println(diagnosis(from) + diagnosis(to));
        }
        return reached;
    }

    /** What an operator would look at when instances cannot talk. */
    private String diagnosis(Instance i) {
        String c = "gcp-" + i.id();
        return "--- " + i.name() + " " + i.privateIp() + "\n"
                + Namespaces.exec("docker", "exec", c, "ip", "addr").output()
                + Namespaces.exec("docker", "exec", c, "ip", "route").output()
                + Namespaces.exec("docker", "exec", c, "ps").output()
                + Namespaces.exec("docker", "logs", c).output()
                + Namespaces.exec("docker", "exec", c, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 "
                + i.privateIp() + " 8080").output();
    }

    @Test
    void instancesOfASubnetTalkInstancesOfAnotherVpcDoNot() {
        Subnet subnet = subnet("10.91.0.0/16");
        Instance a = launchRunning(subnet, "a", null);
        Instance b = launchRunning(subnet, "b", null);
        assertEquals("10.91.1.4", a.privateIp());
        assertEquals("10.91.1.5", b.privateIp());
        assertTrue(eventuallyReaches(a, b), "the default group admits its own members");

        Instance stranger = launchRunning(subnet("10.92.0.0/16"), "stranger", null);
        assertTrue(Namespaces.eventually(Duration.ofSeconds(10), () -> !reaches(stranger, b)));
        assertFalse(reaches(stranger, a), "another VPC's instance gets nowhere");
        assertTrue(reaches(a, b), "while the VPC's own traffic still flows");
    }

    @Test
    void aSecurityGroupRuleOpensAndClosesAPortOfARunningInstance() {
        Subnet subnet = subnet("10.93.0.0/16");
        String vpcId = subnets.get(alice, subnet.id()).vpcId();
        String web = groups.create(alice, new CreateSecurityGroup(vpcId, "web", "web servers")).id();
        Instance client = launchRunning(subnet, "client", null);
        Instance server = launchRunning(subnet, "server", List.of(web));
        assertFalse(reaches(client, server), "a new group admits nothing");

        SecurityGroupRule rule = groups.addRule(alice, web, new CreateSecurityGroupRule("inbound", "tcp", 8080, 8080,
                "10.93.0.0/16", "http"));
        assertTrue(eventuallyReaches(client, server), "the rule opens the port live");
        groups.deleteRule(alice, web, rule.id());
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () -> !reaches(client, server)), "and closes it again");
    }

    @Test
    void stopAndStartKeepTheAddressAndTerminateLeavesNothingBehind() {
        Subnet subnet = subnet("10.94.0.0/16");
        Instance client = launchRunning(subnet, "client", null);
        Instance server = launchRunning(subnet, "server", null);
        assertTrue(eventuallyReaches(client, server));

        instances.stop(alice, server.id());
        awaitState(server, "stopped");
        assertFalse(reaches(client, server));
        instances.start(alice, server.id());
        Instance restarted = awaitState(server, "running");
        assertEquals(server.privateIp(), restarted.privateIp());
        assertTrue(eventuallyReaches(client, restarted), "the instance answers again on the same address");

        instances.terminate(alice, server.id());
        awaitState(server, "terminated");
        assertTrue(docker.inspect(server.id()).isEmpty(), "the container is gone");
        String host = namespaces.created().get(0);
        String port = HostNames.portDevice(server.id());
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () ->
                Namespaces.exec("ip", "-n", host, "link", "show", port).exitCode() != 0), "its port is gone");
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () ->
                !Namespaces.exec("ip", "netns", "exec", host, "nft", "list", "ruleset").output().contains(port)),
                "and so are its rules");
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
            public boolean instances_enabled() { return false; } // the test sends the heartbeat itself
            public long heartbeat_seconds() { return 3600; }
            public double cpu_allocation_ratio() { return 16; }
            public double memory_allocation_ratio() { return 1; }
            public long stop_grace_seconds() { return 5; }
            public Class<? extends Annotation> annotationType() { return WorkerConfig.class; }
        };
    }

    private static ClusterConfig clusterConfig() {
        return new ClusterConfig() {
            public long node_timeout_seconds() { return 3600; }
            public long task_resend_seconds() { return 3600; }
            public long terminated_retention_minutes() { return 60; }
            public long sweep_seconds() { return 3600; }
            public Class<? extends Annotation> annotationType() { return ClusterConfig.class; }
        };
    }
}
