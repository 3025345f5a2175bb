package io.goncloud.agent;

import io.goncloud.api.model.ElasticIp;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.SecurityGroupRule;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InternetGatewayService.CreateInternetGateway;
import io.goncloud.api.service.RouteTableService.CreateRoute;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroupRule;
import io.goncloud.api.service.SubnetService.CreateSubnet;
import io.goncloud.api.service.VpcService.CreateVpc;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.dataplane.NetworkStateServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.vpc.ElasticIpServiceImpl;
import io.goncloud.core.vpc.InternetGatewayServiceImpl;
import io.goncloud.core.vpc.PublicIpPool;
import io.goncloud.core.vpc.RouteTableServiceImpl;
import io.goncloud.core.vpc.SecurityGroupServiceImpl;
import io.goncloud.core.vpc.SubnetServiceImpl;
import io.goncloud.core.vpc.VpcServiceImpl;
import io.goncloud.driver.linuxbridge.LinuxBridgeNetworkDriver;
import io.goncloud.driver.nftables.NftablesFirewallDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain, for real: tenant calls on the services write the database; each commit wakes the
 * network agent, which derives the host's desired state and converges a fake worker host (a network
 * namespace) through the Linux-bridge and nftables drivers; packets between an "instance" namespace and
 * an "internet" namespace show the result. Instances arrive with the compute service, so the test
 * inserts the instance row and plugs the instance side of its port into a namespace itself, as the
 * compute driver will.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkAgentScenarioTest {

    /** The driver's DHCP state, this run's own (the default is the machine's). */
    private static final java.nio.file.Path DHCP_STATE_DIR = java.nio.file.Path.of(
            System.getProperty("java.io.tmpdir"), "gcpta" + ProcessHandle.current().pid() + "-dhcp");

    private static final Duration AGENT_DEADLINE = Duration.ofSeconds(15);
    private static final String PROVIDER = "203.0.113.0/24";
    private static final String OUTSIDE = "203.0.113.1";

    private final Namespaces namespaces = new Namespaces();
    private TestDatabase testDb;
    private NetworkAgent agent;
    private String host;
    private String internet;
    private String instanceNs;
    private Caller alice;
    private Vpc vpc;
    private Subnet subnet;
    private String instanceId;
    private VpcServiceImpl vpcs;
    private SubnetServiceImpl subnets;
    private InternetGatewayServiceImpl gateways;
    private RouteTableServiceImpl routeTables;
    private SecurityGroupServiceImpl groups;
    private ElasticIpServiceImpl addresses;
    private Database db;

    @BeforeAll
    void buildWorld() {
        Assumptions.assumeTrue(Namespaces.exec("id", "-u").output().strip().equals("0"),
                "the data plane needs root to create network namespaces");
        Assumptions.assumeTrue(Namespaces.exec("ip", "netns", "add", Namespaces.PREFIX + "probe").exitCode() == 0,
                "this kernel or sandbox does not allow network namespaces");
        Namespaces.exec("ip", "netns", "del", Namespaces.PREFIX + "probe");
        Namespaces.removeLeftovers();
        host = namespaces.create("host");
        internet = namespaces.create("inet");

        testDb = TestDatabase.create(TestDatabase.Kind.H2);
        Database db = testDb.database(() -> {
            if (agent != null) {
                agent.desiredStateChanged();
            }
        });
        AuthServiceImpl auth = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4,
                Clock.systemUTC());
        User user = auth.register("alice", "alice-" + UUID.randomUUID() + "@example.test", "password-alice");
        alice = Caller.user(user.id(), Role.USER);
        vpcs = new VpcServiceImpl(db);
        subnets = new SubnetServiceImpl(db, List.of("gcp-zone-1"));
        PublicIpPool pool = new PublicIpPool(PROVIDER, 16);
        gateways = new InternetGatewayServiceImpl(db, pool);
        routeTables = new RouteTableServiceImpl(db);
        groups = new SecurityGroupServiceImpl(db);
        addresses = new ElasticIpServiceImpl(db, pool);

        agent = new NetworkAgent(new NetworkStateServiceImpl(db,
                NetworkStateServiceImpl.provider(PROVIDER, "gcp-provider", OUTSIDE)), config());
        String hostNetns = host;
        agent.addNetworkDriver(new LinuxBridgeNetworkDriver(new LinuxBridgeNetworkDriver.Config() {
            public String host_netns() { return hostNetns; }
            public String dhcp_state_dir() { return DHCP_STATE_DIR.toString(); }
            public String owner() { return ""; }
            public Class<? extends Annotation> annotationType() { return LinuxBridgeNetworkDriver.Config.class; }
        }));
        agent.addFirewallDriver(new NftablesFirewallDriver(new NftablesFirewallDriver.Config() {
            public String host_netns() { return hostNetns; }
            public Class<? extends Annotation> annotationType() { return NftablesFirewallDriver.Config.class; }
        }));

        vpc = vpcs.create(alice, new CreateVpc("scenario", "10.77.0.0/16", null), null);
        subnet = subnets.create(alice, new CreateSubnet(vpc.id(), "web", "10.77.1.0/24", null, null, null));
        this.db = db;
        instanceId = UUID.randomUUID().toString();
        instanceNs = launch(instanceId, "i1", "10.77.1.4", vpc.defaultSecurityGroupId());

        // The outside world: the internet namespace on the provider bridge, as the operator's uplink.
        if (Namespaces.exec("ip", "-n", host, "link", "show", "gcp-provider").exitCode() != 0) {
            Namespaces.run("ip", "-n", host, "link", "add", "gcp-provider", "type", "bridge");
            Namespaces.run("ip", "-n", host, "link", "set", "gcp-provider", "up");
        }
        Namespaces.run("ip", "-n", host, "link", "add", "gcptaveth0", "type", "veth", "peer", "name", "uplink",
                "netns", internet);
        Namespaces.run("ip", "-n", host, "link", "set", "gcptaveth0", "master", "gcp-provider", "up");
        Namespaces.run("ip", "-n", internet, "addr", "add", OUTSIDE + "/24", "dev", "uplink");
        Namespaces.run("ip", "-n", internet, "link", "set", "uplink", "up");
        namespaces.serveTcp(internet, 9090, "pong");
    }

    /**
     * Does what the instance service and the compute driver will: writes the instance's row with its
     * groups, waits for the agent to plug its port, and moves the instance side into a namespace of its
     * own with the instance's address and a TCP server on 8080.
     */
    private String launch(String id, String name, String privateIp, String... groupIds) {
        db.run(em -> {
            em.createNativeQuery("INSERT INTO instances (id, name, instance_type, subnet_id, private_ip, state, user_id, "
                            + "created_at, updated_at) VALUES (?, ?, 't2.nano', ?, ?, 'running', ?, "
                            + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                    .setParameter(1, id).setParameter(2, name).setParameter(3, subnet.id()).setParameter(4, privateIp)
                    .setParameter(5, alice.userId()).executeUpdate();
            for (String group : groupIds) {
                em.createNativeQuery("INSERT INTO instance_security_groups (instance_id, security_group_id) VALUES (?, ?)")
                        .setParameter(1, id).setParameter(2, group).executeUpdate();
            }
        });
        String instanceSide = HostNames.instanceSide(id);
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () ->
                Namespaces.exec("ip", "-n", host, "link", "show", instanceSide).exitCode() == 0),
                "the agent should plug the instance's port: " + agent.lastOutcome());
        String ns = namespaces.create(name);
        Namespaces.run("ip", "-n", host, "link", "set", instanceSide, "netns", ns);
        Namespaces.run("ip", "-n", ns, "link", "set", instanceSide, "name", "eth0");
        Namespaces.run("ip", "-n", ns, "addr", "add", privateIp + "/24", "dev", "eth0");
        Namespaces.run("ip", "-n", ns, "link", "set", "eth0", "up");
        Namespaces.run("ip", "-n", ns, "route", "add", "default", "via", "10.77.1.1");
        namespaces.serveTcp(ns, 8080, "pong");
        return ns;
    }

    private static NetworkAgent.Config config() {
        return new NetworkAgent.Config() {
            public String host_id() { return "scenario-host"; }
            public String network_driver() { return ""; }
            public String firewall_driver() { return ""; }
            public long resync_seconds() { return 3600; }
            public boolean enabled() { return true; }
            public Class<? extends Annotation> annotationType() { return NetworkAgent.Config.class; }
        };
    }

    @AfterAll
    void tearDown() {
        if (agent != null) {
            agent.stop();
        }
        namespaces.deleteAll();
        if (vpc != null) {
            // Its DHCP server first: a process in a namespace keeps it alive after its name is deleted.
            Namespaces.killAllIn(HostNames.routerNamespace(vpc.id()));
            Namespaces.exec("ip", "netns", "del", HostNames.routerNamespace(vpc.id()));
        }
        Namespaces.exec("rm", "-rf", DHCP_STATE_DIR.toString());
        if (testDb != null) {
            testDb.close();
        }
    }

    @Test
    void aRuleWhoseSourceIsAGroupAdmitsExactlyThatGroupsMembers() {
        String app = groups.create(alice, new CreateSecurityGroup(vpc.id(), "app", "application servers")).id();
        String other = groups.create(alice, new CreateSecurityGroup(vpc.id(), "other", "not web")).id();
        String appNs = launch(UUID.randomUUID().toString(), "app", "10.77.1.20", app);
        String strangerNs = launch(UUID.randomUUID().toString(), "stranger", "10.77.1.30", other);
        String webNs = launch(UUID.randomUUID().toString(), "web", "10.77.1.40", vpc.defaultSecurityGroupId());
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () -> Namespaces.pings(appNs, "10.77.1.1")),
                "the app instance should be plugged: " + agent.lastOutcome());
        assertFalse(Namespaces.tcpAnswers(webNs, "10.77.1.20", 8080), "a new group admits nothing inbound");

        groups.addRule(alice, app, new CreateSecurityGroupRule("inbound", "tcp", 8080, 8080,
                vpc.defaultSecurityGroupId(), "from the default group"));
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () -> Namespaces.tcpAnswers(webNs, "10.77.1.20", 8080)),
                "a member of the source group gets in: " + agent.lastOutcome());
        assertFalse(Namespaces.tcpAnswers(strangerNs, "10.77.1.20", 8080), "a non-member does not");
    }

    @Test
    void tenantCallsBecomeRealNetworking() {
        // Within the VPC: the instance reaches its gateway, the router.
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () -> Namespaces.pings(instanceNs, "10.77.1.1")),
                "the instance should reach its subnet's gateway: " + agent.lastOutcome());
        // No internet gateway yet: nothing reaches outside.
        assertFalse(Namespaces.tcpAnswers(instanceNs, OUTSIDE, 9090));

        // Attach an internet gateway and route 0.0.0.0/0 to it: outbound NAT works.
        String gatewayId = gateways.create(alice, new CreateInternetGateway("igw"), null).id();
        gateways.attach(alice, gatewayId, vpc.id());
        routeTables.createRoute(alice, vpc.mainRouteTableId(), new CreateRoute("0.0.0.0/0", "igw", gatewayId));
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () -> Namespaces.tcpAnswers(instanceNs, OUTSIDE, 9090)),
                "with an attached gateway and a default route, the instance should reach outside through NAT: "
                        + agent.lastOutcome());

        // An elastic IP makes it reachable from outside, but its security group still closes the port.
        ElasticIp address = addresses.allocate(alice, null);
        addresses.associate(alice, address.id(), instanceId);
        assertFalse(Namespaces.eventually(Duration.ofSeconds(3),
                () -> Namespaces.tcpAnswers(internet, address.address(), 8080)),
                "the default security group admits only its members");

        // A rule opens the port, live; removing it closes it again.
        SecurityGroupRule rule = groups.addRule(alice, vpc.defaultSecurityGroupId(),
                new CreateSecurityGroupRule("inbound", "tcp", 8080, 8080, "0.0.0.0/0", "web"));
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () -> Namespaces.tcpAnswers(internet, address.address(), 8080)),
                "the new rule should open port 8080 from outside: " + agent.lastOutcome());
        groups.deleteRule(alice, vpc.defaultSecurityGroupId(), rule.id());
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () -> !Namespaces.tcpAnswers(internet, address.address(), 8080)),
                "removing the rule should close the port again");

        // Detaching the gateway (after its dependents go) cuts outbound traffic.
        addresses.disassociate(alice, address.id());
        routeTables.deleteRoute(alice, vpc.mainRouteTableId(), "0.0.0.0/0");
        gateways.detach(alice, gatewayId, vpc.id());
        assertTrue(Namespaces.eventually(AGENT_DEADLINE, () -> !Namespaces.tcpAnswers(instanceNs, OUTSIDE, 9090)),
                "without the gateway the instance must not reach outside");
        assertEquals(true, agent.lastOutcome().success(), agent.lastOutcome().detail());
    }
}
