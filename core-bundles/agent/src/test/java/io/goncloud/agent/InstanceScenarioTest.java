package io.goncloud.agent;

import io.goncloud.api.model.Instance;
import io.goncloud.api.model.SecurityGroupRule;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroupRule;
import io.goncloud.api.spi.network.HostNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;

import static io.goncloud.agent.InstanceWorld.eventuallyReaches;
import static io.goncloud.agent.InstanceWorld.reaches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a tenant sees of instances on a real worker (see {@link InstanceWorld}): they run, talk and are firewalled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceScenarioTest {

    private InstanceWorld world;

    @BeforeAll
    void buildWorld() throws Exception {
        world = new InstanceWorld(3600);
    }

    @AfterAll
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void instancesOfASubnetTalkInstancesOfAnotherVpcDoNot() {
        Subnet subnet = world.subnet("10.91.0.0/16");
        Instance a = world.launchRunning(subnet, "a", null);
        Instance b = world.launchRunning(subnet, "b", null);
        assertEquals("10.91.1.4", a.privateIp());
        assertEquals("10.91.1.5", b.privateIp());
        assertTrue(eventuallyReaches(a, b), "the default group admits its own members");
        // The console output is asked of the worker (a CONSOLE_OUTPUT task; the agent's report completes the request).
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () ->
                world.instances.consoleOutput(world.alice, a.id()).output().contains("gcp-init: ready")),
                "the console shows the instance's init: " + world.instances.consoleOutput(world.alice, a.id()).output());
        assertEquals("running", world.instances.get(world.alice, a.id()).state(), "asking changes nothing");

        Instance stranger = world.launchRunning(world.subnet("10.92.0.0/16"), "stranger", null);
        assertTrue(Namespaces.eventually(Duration.ofSeconds(10), () -> !reaches(stranger, b)));
        assertFalse(reaches(stranger, a), "another VPC's instance gets nowhere");
        assertTrue(reaches(a, b), "while the VPC's own traffic still flows");
    }

    @Test
    void aSecurityGroupRuleOpensAndClosesAPortOfARunningInstance() {
        Subnet subnet = world.subnet("10.93.0.0/16");
        String web = world.groups.create(world.alice, new CreateSecurityGroup(subnet.vpcId(), "web", "web servers")).id();
        Instance client = world.launchRunning(subnet, "client", null);
        Instance server = world.launchRunning(subnet, "server", List.of(web));
        assertFalse(reaches(client, server), "a new group admits nothing");

        SecurityGroupRule rule = world.groups.addRule(world.alice, web, new CreateSecurityGroupRule("inbound", "tcp",
                8080, 8080, "10.93.0.0/16", "http"));
        assertTrue(eventuallyReaches(client, server), "the rule opens the port live");
        world.groups.deleteRule(world.alice, web, rule.id());
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () -> !reaches(client, server)), "and closes it again");
    }

    @Test
    void stopAndStartKeepTheAddressAndTerminateLeavesNothingBehind() {
        Subnet subnet = world.subnet("10.94.0.0/16");
        Instance client = world.launchRunning(subnet, "client", null);
        Instance server = world.launchRunning(subnet, "server", null);
        assertTrue(eventuallyReaches(client, server));

        world.instances.stop(world.alice, server.id());
        world.awaitState(server, "stopped");
        assertFalse(reaches(client, server));
        world.instances.start(world.alice, server.id());
        Instance restarted = world.awaitState(server, "running");
        assertEquals(server.privateIp(), restarted.privateIp());
        assertTrue(eventuallyReaches(client, restarted), "the instance answers again on the same address");

        world.instances.terminate(world.alice, server.id());
        world.awaitState(server, "terminated");
        assertTrue(world.docker.inspect(server.id()).isEmpty(), "the container is gone");
        String port = HostNames.portDevice(server.id());
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () ->
                Namespaces.exec("ip", "-n", world.host, "link", "show", port).exitCode() != 0), "its port is gone");
        assertTrue(Namespaces.eventually(Duration.ofSeconds(20), () ->
                !Namespaces.exec("ip", "netns", "exec", world.host, "nft", "list", "ruleset").output().contains(port)),
                "and so are its rules");
    }
}
