package io.goncloud.agent;

import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.spi.compute.InstanceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.goncloud.agent.InstanceWorld.containers;
import static io.goncloud.agent.InstanceWorld.eventuallyReaches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults on a real worker (see {@link InstanceWorld}): an agent that dies mid-launch, tasks sent while the broker
 * is down, instances stopped or removed behind the platform's back, orphans, and a compute driver going away.
 * Each ends with every instance in its desired state, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceFaultTest {

    private static final long RESEND_SECONDS = 5;

    private InstanceWorld world;

    @BeforeAll
    void buildWorld() throws Exception {
        world = new InstanceWorld(RESEND_SECONDS);
    }

    @AfterAll
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    /** Runs the controller's sweep (as its timer would) until the instance reaches the state. */
    private Instance sweepUntil(Instance i, String state) {
        assertTrue(Namespaces.eventually(InstanceWorld.DEADLINE, () -> {
            world.cluster.sweep();
            return state.equals(world.instances.get(world.alice, i.id()).state());
        }), i.name() + " should become " + state + ": " + world.instances.get(world.alice, i.id()));
        return world.instances.get(world.alice, i.id());
    }

    @Test
    void anAgentThatDiesMidLaunchIsReplacedAndTheInstanceRunsOnce() {
        Subnet subnet = world.subnet("10.81.0.0/16");
        world.reportsLost = true; // the agent launches the container, then dies before it can report
        Instance i = world.launch(subnet, "survivor", null);
        assertTrue(Namespaces.eventually(InstanceWorld.DEADLINE, () -> containers(i.id()) == 1));
        assertEquals("pending", world.instances.get(world.alice, i.id()).state());

        world.reportsLost = false;
        world.startAgent(); // the restarted agent's heartbeat shows the container; the sweep resends the launch
        Instance running = sweepUntil(i, "running");
        assertEquals(1, containers(i.id()), "the resent launch found the container: nothing duplicated");
        assertEquals(i.privateIp(), running.privateIp());
    }

    @Test
    void launchesWhileTheBrokerIsDownRunOnceItIsBack() {
        Subnet subnet = world.subnet("10.82.0.0/16");
        world.brokerDown = true;
        Instance a = world.launch(subnet, "a", null);
        Instance b = world.launch(subnet, "b", null);
        world.cluster.sweep();
        assertEquals("pending", world.instances.get(world.alice, a.id()).state(), "accepted, waiting for the broker");
        assertEquals(0, containers(a.id()));

        world.brokerDown = false;
        Instance runningA = sweepUntil(a, "running");
        Instance runningB = sweepUntil(b, "running");
        assertNotEquals(runningA.privateIp(), runningB.privateIp());
        assertTrue(eventuallyReaches(runningA, runningB));
    }

    @Test
    void anInstanceStoppedBehindThePlatformsBackIsReportedAndStartsAgain() {
        Subnet subnet = world.subnet("10.83.0.0/16");
        Instance client = world.launchRunning(subnet, "client", null);
        Instance server = world.launchRunning(subnet, "server", null);
        Namespaces.run("docker", "kill", "gcp-" + server.id());
        world.worker.heartbeat();
        Instance stopped = world.instances.get(world.alice, server.id());
        assertEquals("stopped", stopped.state());
        assertNotNull(stopped.stateReason(), "the reason says what happened");

        world.instances.start(world.alice, server.id());
        world.awaitState(server, "running");
        assertTrue(eventuallyReaches(client, server), "its network is plugged again");
    }

    @Test
    void aVanishedInstanceIsRecreatedAndAnOrphanIsRemoved() {
        Subnet subnet = world.subnet("10.84.0.0/16");
        Instance client = world.launchRunning(subnet, "client", null);
        Instance server = world.launchRunning(subnet, "server", null);
        Namespaces.run("docker", "rm", "-f", "gcp-" + server.id());

        String orphan = UUID.randomUUID().toString();
        world.docker.launch(new InstanceSpec(orphan, new InstanceSpec.ImageRef(world.imageId, "docker-rootfs",
                world.db.inTransaction(em -> (String) em.createNativeQuery("SELECT location FROM images WHERE id = ?")
                        .setParameter(1, world.imageId).getSingleResult())), 1, 256, 1, List.of(), null, List.of(),
                Map.of()));
        assertEquals(1, containers(orphan));

        world.worker.heartbeat(); // the inventory lacks the server and has a container nobody wants
        assertTrue(Namespaces.eventually(InstanceWorld.DEADLINE, () -> containers(orphan) == 0), "the orphan is removed");
        Instance recreated = world.awaitState(server, "running");
        assertEquals(server.privateIp(), recreated.privateIp());
        assertTrue(eventuallyReaches(client, recreated), "the re-created instance serves on its address again");
    }

    @Test
    void withoutItsComputeDriverAWorkerTakesNoLaunchesAndLeavesItsInstancesAlone() {
        Subnet subnet = world.subnet("10.85.0.0/16");
        Instance running = world.launchRunning(subnet, "keeps-running", null);
        world.worker.removeComputeDriver(world.docker); // the driver bundle was uninstalled
        try {
            world.worker.heartbeat();
            assertEquals("running", world.instances.get(world.alice, running.id()).state(),
                    "a worker that cannot see an image format's instances does not report them missing");
        } catch (RuntimeException | AssertionError e) {
            world.worker.addComputeDriver(world.docker);
            throw e;
        }
        var refused = assertThrows(io.goncloud.api.error.GcpException.class, () -> world.instances.launch(world.alice,
                new LaunchInstance("new", "t2.nano", world.imageId, subnet.id(), null, null, null, null)));
        assertEquals("InsufficientInstanceCapacity", refused.code());
        assertTrue(refused.getMessage().contains("docker-rootfs"), refused.getMessage());
        assertTrue(world.docker.inspect(running.id()).isPresent(), "the running container is left alone");
        assertEquals("running", world.instances.get(world.alice, running.id()).state());

        world.worker.addComputeDriver(world.docker); // reinstalled
        world.worker.heartbeat();
        world.instances.stop(world.alice, running.id());
        world.awaitState(running, "stopped");
    }
}
