package io.goncloud.core.compute;

import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask.Action;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.SecurityGroup;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.model.WorkerNode;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.service.InstanceService.UpdateInstance;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The instance life cycle on the controller against a real database; subclasses pick which. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InstanceServiceContract {

    ComputeFixture f;
    Caller alice;
    Caller bob;
    String host;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() {
        f = new ComputeFixture(kind(), "198.19.0.0/24");
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @BeforeEach
    void freshTenantsAndWorker() {
        alice = f.tenant("alice");
        bob = f.tenant("bob");
        // Every test gets a worker of its own, and the others' workers go quiet (marked down).
        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep();
        f.takeSent();
        host = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        f.heartbeat(host, 4, 2048, List.of());
    }

    private Instance launch(Caller owner, Subnet subnet) {
        return f.instances.launch(owner, new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), null, null, null,
                null));
    }

    private ComputeFixture.Sent onlySent(Action action) {
        List<ComputeFixture.Sent> sent = f.takeSent();
        assertEquals(1, sent.size(), "one task: " + sent);
        assertEquals(action, sent.get(0).task().action());
        return sent.get(0);
    }

    private List<ComputeFixture.Sent> sentFor(String instanceId) {
        return f.takeSent().stream().filter(s -> s.task().instanceId().equals(instanceId)).toList();
    }

    private static String code(Runnable call) {
        return assertThrows(GcpException.class, call::run).code();
    }

    /**
     * Looking is not changing: a read through the services must not announce a change. Each announcement wakes
     * the network agent and every live event stream, whose own look (changedSince) would announce another.
     */
    @Test
    void readsThroughTheServicesAnnounceNothing() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        Instance launched = launch(alice, subnet);
        f.announced.set(0);

        assertEquals(launched.id(), f.instances.get(alice, launched.id()).id());
        assertEquals(1, f.instances.list(alice, vpc.id(), null, PageRequest.first()).items().size());
        assertEquals(1, f.instances.changedSince(alice, java.time.Instant.EPOCH, 10).size());
        f.vpcs.get(alice, vpc.id());
        f.vpcs.list(alice, PageRequest.first());
        f.subnets.get(alice, subnet.id());
        f.subnets.list(alice, vpc.id(), PageRequest.first());
        f.groups.get(alice, vpc.defaultSecurityGroupId());
        f.groups.list(alice, vpc.id(), PageRequest.first());
        f.keys.list(alice, PageRequest.first());
        f.nodes.list(Caller.operator());

        assertEquals(0, f.announced.get(), "reads announced changes");
    }

    @Test
    void launchPlacesTheInstanceGivesItAnAddressAndSendsItsWorkerTheWholeSpec() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        f.keys.importKey(alice, "laptop", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me");
        Instance launched = f.instances.launch(alice, new LaunchInstance("web", "t2.micro", f.imageId, subnet.id(),
                null, "laptop", "#!/bin/sh\necho hi", Map.of("env", "test")));

        String base = subnet.cidrBlock().replace("0/24", "");
        assertEquals("pending", launched.state());
        assertEquals(base + "4", launched.privateIp(), "the first usable address is network+4");
        assertEquals(vpc.id(), launched.vpcId());
        assertEquals(List.of(vpc.defaultSecurityGroupId()), launched.securityGroupIds());
        assertEquals(Map.of("env", "test"), launched.tags());
        assertNull(launched.publicIp());

        ComputeFixture.Sent sent = onlySent(Action.LAUNCH);
        assertEquals(host, sent.hostId());
        InstanceSpec spec = sent.task().spec();
        assertEquals(launched.id(), spec.instanceId());
        assertEquals(1, spec.vcpus());
        assertEquals(1024, spec.memoryMiB());
        assertEquals("docker-rootfs", spec.image().format());
        assertEquals("#!/bin/sh\necho hi", spec.userData());
        assertEquals(1, spec.sshPublicKeys().size());
        assertTrue(spec.sshPublicKeys().get(0).startsWith("ssh-ed25519 AAAA"));
        InstanceSpec.NicSpec nic = spec.nics().get(0);
        assertEquals(base + "4", nic.ipAddress());
        assertEquals(24, nic.prefixLength());
        assertEquals(base + "1", nic.gateway());
        assertTrue(nic.hostDevice().startsWith("gcpi"));
        assertEquals(host, f.nodes.get(Caller.operator(), host).hostname());
        assertEquals(1, f.nodes.get(Caller.operator(), host).cpuAllocated());

        f.answer(sent, PowerState.RUNNING, null);
        Instance running = f.instances.get(alice, launched.id());
        assertEquals("running", running.state());
        assertEquals(base + "5", launch(alice, subnet).privateIp());
        assertEquals(List.of("pending", "running"), f.db.inTransaction(em -> em.createNativeQuery(
                "SELECT state FROM instance_events WHERE instance_id = ? ORDER BY created_at").setParameter(1, launched.id())
                .getResultList()));
    }

    @Test
    void badRequestsAreRefusedWithEc2CodesAndWriteNothing() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        Subnet bobs = f.subnet(bob, f.vpc(bob), 1, false);
        SecurityGroup otherVpcGroup = f.groups.create(alice, new CreateSecurityGroup(f.vpc(alice).id(), "x", "x"));
        long before = f.count("SELECT COUNT(*) FROM instances");
        assertEquals("InvalidInstanceType", code(() -> f.instances.launch(alice,
                new LaunchInstance(null, "m9.huge", f.imageId, subnet.id(), null, null, null, null))));
        assertEquals("InvalidAMIID.Malformed", code(() -> f.instances.launch(alice,
                new LaunchInstance(null, "t2.nano", "ami-123", subnet.id(), null, null, null, null))));
        assertEquals("InvalidAMIID.NotFound", code(() -> f.instances.launch(alice,
                new LaunchInstance(null, "t2.nano", UUID.randomUUID().toString(), subnet.id(), null, null, null, null))));
        assertEquals("InvalidSubnetID.NotFound", code(() -> launch(alice, bobs)));
        assertEquals("InvalidParameterValue", code(() -> f.instances.launch(alice,
                new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), List.of(otherVpcGroup.id()), null, null, null))));
        assertEquals("InvalidKeyPair.NotFound", code(() -> f.instances.launch(alice,
                new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), null, "nope", null, null))));
        assertEquals("InvalidParameterValue", code(() -> f.instances.launch(alice,
                new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), null, null, "x".repeat(16385), null))));
        assertEquals(before, f.count("SELECT COUNT(*) FROM instances"));
        assertEquals(0, f.nodes.get(Caller.operator(), host).cpuAllocated());
        assertTrue(f.takeSent().isEmpty());
    }

    @Test
    void capacityIsReservedAtLaunchRefusedWhenFullAndGivenBackAtTermination() {
        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep(); // only a small worker is up
        String small = "small-" + UUID.randomUUID().toString().substring(0, 8);
        f.heartbeat(small, 2, 1024, List.of());
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance first = launch(alice, subnet);
        launch(alice, subnet);
        long rows = f.count("SELECT COUNT(*) FROM instances");
        assertEquals("InsufficientInstanceCapacity", code(() -> launch(alice, subnet)));
        assertEquals(rows, f.count("SELECT COUNT(*) FROM instances"), "nothing half-created");
        f.takeSent();

        f.instances.terminate(alice, first.id());
        assertEquals("shutting-down", f.instances.get(alice, first.id()).state());
        ComputeFixture.Sent terminate = onlySent(Action.TERMINATE);
        assertEquals("InsufficientInstanceCapacity", code(() -> launch(alice, subnet)),
                "room comes back when the worker confirms, not before");
        f.answer(terminate, null, null);
        Instance terminated = f.instances.get(alice, first.id());
        assertEquals("terminated", terminated.state());
        assertNull(terminated.workerNodeId());
        assertEquals(first.privateIp(), launch(alice, subnet).privateIp(), "the address is free again");
    }

    @Test
    void noWorkerOrADownWorkerMeansNoCapacity() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        f.clock.advance(Duration.ofSeconds(31));
        f.cluster.sweep();
        assertEquals("down", f.nodes.get(Caller.operator(), host).state());
        assertEquals("InsufficientInstanceCapacity", code(() -> launch(alice, subnet)));
        f.heartbeat(host, 4, 2048, List.of());
        assertEquals("up", f.nodes.get(Caller.operator(), host).state(), "a heartbeat brings it back");
        f.nodes.drain(Caller.operator(), host);
        assertEquals("InsufficientInstanceCapacity", code(() -> launch(alice, subnet)), "a drained node gets nothing");
        f.nodes.undrain(Caller.operator(), host);
        assertEquals("pending", launch(alice, subnet).state());
        assertEquals("UnauthorizedOperation", code(() -> f.nodes.list(alice)));
    }

    @Test
    void spreadPlacementAlternatesBetweenWorkersAndBinpackFillsOneFirst() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        // Two workers of four t2.nano each, named so that the tie between empty workers goes to "-a".
        String a = host + "-a";
        String b = host + "-b";
        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep(); // this test's usual worker goes quiet
        f.heartbeat(a, 4, 2048, List.of());
        f.heartbeat(b, 4, 2048, List.of());

        List<String> spread = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            spread.add(f.nodes.get(Caller.operator(), launch(alice, subnet).workerNodeId()).hostname());
        }
        assertEquals(List.of(a, b, a, b), spread, "spread: the least loaded worker each time");

        String c = host + "-c";
        String d = host + "-d";
        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep();
        f.heartbeat(c, 4, 2048, List.of());
        f.heartbeat(d, 4, 2048, List.of());
        InstanceServiceImpl binpack = f.instancesPlacing(Placement.Strategy.BINPACK);
        List<String> packed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instance launched = binpack.launch(alice, new LaunchInstance(null, "t2.nano", f.imageId, subnet.id(), null,
                    null, null, null));
            packed.add(f.nodes.get(Caller.operator(), launched.workerNodeId()).hostname());
        }
        assertEquals(List.of(c, c, c, c, d), packed, "binpack: the fullest worker that still has room");
        f.takeSent();
    }

    /**
     * Liveness and order are the controller's business: a worker whose clock is hours behind or ahead (its reports'
     * {@code sent_at}) is up while its heartbeats arrive and down when they stop, by the controller's clock.
     */
    @Test
    void aWorkerWhoseClockIsHoursOffIsJudgedByTheControllersClock() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        String skewed = host + "-skewed";
        f.clock.advance(Duration.ofMinutes(5));
        f.cluster.sweep(); // this test's usual worker goes quiet
        f.takeSent(); // what the sweep resent for other tests' instances
        f.heartbeatSentAt(skewed, Instant.now().minus(Duration.ofHours(3)), List.of());
        assertEquals("up", f.nodes.get(Caller.operator(), skewed).state(), "a heartbeat from 3 h ago by its clock");

        Instance launched = launch(alice, subnet);
        assertEquals(skewed, f.nodes.get(Caller.operator(), launched.workerNodeId()).hostname());
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        assertEquals("running", f.instances.get(alice, launched.id()).state());

        f.clock.advance(Duration.ofSeconds(20));
        f.heartbeatSentAt(skewed, Instant.now().plus(Duration.ofHours(5)), List.of(new WorkerReport.InstanceReport(
                launched.id(), new InstanceStatus(launched.id(), PowerState.RUNNING, null), null, null)));
        f.clock.advance(Duration.ofSeconds(20));
        f.cluster.sweep();
        assertEquals("up", f.nodes.get(Caller.operator(), skewed).state(),
                "20 s since its last heartbeat by the controller's clock, whatever the worker's said");
        assertEquals("running", f.instances.get(alice, launched.id()).state());
        assertEquals(List.of(), sentFor(launched.id()), "nothing to resend or repair");

        f.clock.advance(Duration.ofSeconds(20));
        f.cluster.sweep();
        assertEquals("down", f.nodes.get(Caller.operator(), skewed).state(), "40 s of silence: down");
    }

    @Test
    void anUnknownPlacementStrategyIsRefusedByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Placement.Strategy.of("round-robin"));
        assertTrue(refused.getMessage().contains("spread or binpack"), refused.getMessage());
        assertEquals(Placement.Strategy.SPREAD, Placement.Strategy.of(""));
        assertEquals(Placement.Strategy.BINPACK, Placement.Strategy.of("BinPack"));
    }

    /**
     * A controller restart is no reason to mark workers down and their instances unknown: they get their whole
     * timeout from its start.
     */
    @Test
    void aRestartedControllerGivesWorkersTheirTimeoutBeforeMarkingThemDown() {
        Instance i = launch(alice, f.subnet(alice, f.vpc(alice), 1, false));
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        f.clock.advance(Duration.ofMinutes(3)); // the controller was down; the worker's heartbeats went nowhere
        ClusterController restarted = f.restartedController();

        restarted.sweep();

        assertEquals("up", f.nodes.get(Caller.operator(), host).state());
        assertNull(f.instances.get(alice, i.id()).stateReason());
        f.clock.advance(Duration.ofSeconds(31));
        restarted.sweep();
        assertEquals("down", f.nodes.get(Caller.operator(), host).state(), "still silent after its timeout");
        assertTrue(f.instances.get(alice, i.id()).stateReason().contains("unknown"));
    }

    @Test
    void stopStartRebootAndTerminateFollowTheEc2LifeCycle() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance i = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);

        assertEquals("stopping", f.instances.stop(alice, i.id()).state());
        f.answer(onlySent(Action.STOP), PowerState.STOPPED, null);
        assertEquals("stopped", f.instances.get(alice, i.id()).state());
        assertEquals("IncorrectInstanceState", code(() -> f.instances.reboot(alice, i.id())));
        assertEquals("stopped", f.instances.stop(alice, i.id()).state(), "stopping a stopped instance changes nothing");
        assertTrue(f.takeSent().isEmpty());

        assertEquals("pending", f.instances.start(alice, i.id()).state());
        ComputeFixture.Sent start = onlySent(Action.LAUNCH);
        f.answer(start, PowerState.RUNNING, null);
        Instance restarted = f.instances.get(alice, i.id());
        assertEquals("running", restarted.state());
        assertEquals(i.privateIp(), restarted.privateIp(), "stop and start keep the private address");

        assertEquals("running", f.instances.reboot(alice, i.id()).state());
        f.answer(onlySent(Action.REBOOT), PowerState.RUNNING, null);

        assertEquals("shutting-down", f.instances.terminate(alice, i.id()).state());
        f.answer(onlySent(Action.TERMINATE), null, null);
        assertEquals("terminated", f.instances.get(alice, i.id()).state());
        assertEquals("terminated", f.instances.terminate(alice, i.id()).state(), "terminating twice is harmless");
        assertEquals("IncorrectInstanceState", code(() -> f.instances.start(alice, i.id())));
        assertEquals(0, f.count("SELECT COUNT(*) FROM ip_allocations WHERE instance_id = ?", i.id()));
    }

    @Test
    void aTerminationTheWorkerCouldNotConfirmKeepsTheAddressUntilItCan() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance i = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        f.instances.terminate(alice, i.id());
        ComputeFixture.Sent terminate = onlySent(Action.TERMINATE);
        f.answer(terminate, null, "libvirt: cannot connect to qemu:///system");
        Instance unsure = f.instances.get(alice, i.id());
        assertEquals("shutting-down", unsure.state());
        assertTrue(unsure.stateReason().contains("cannot connect"), unsure.stateReason());
        assertEquals(1, f.count("SELECT COUNT(*) FROM ip_allocations WHERE instance_id = ?", i.id()),
                "the address is not given to another instance while this one may still use it");

        f.answer(terminate, null, null); // the sweep sends it again; now the worker could
        assertEquals("terminated", f.instances.get(alice, i.id()).state());
        assertEquals(0, f.count("SELECT COUNT(*) FROM ip_allocations WHERE instance_id = ?", i.id()));
    }

    @Test
    void aFailedLaunchEndsTerminatedWithItsReason() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance i = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), null, "image gcp-image:x is not imported on this host");
        Instance failed = f.instances.get(alice, i.id());
        assertEquals("shutting-down", failed.state());
        assertTrue(failed.stateReason().contains("Launch failed: image gcp-image:x"), failed.stateReason());
        f.answer(onlySent(Action.TERMINATE), null, null);
        Instance gone = f.instances.get(alice, i.id());
        assertEquals("terminated", gone.state());
        assertTrue(gone.stateReason().startsWith("Launch failed"), "the reason stays readable: " + gone.stateReason());
    }

    @Test
    void inventoryRepairsTheMissingStopsTheStoppedAndRemovesOrphans() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance vanished = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        Instance crashed = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        Instance pending = launch(alice, subnet);
        ComputeFixture.Sent pendingLaunch = onlySent(Action.LAUNCH);
        String orphan = UUID.randomUUID().toString();

        f.heartbeat(host, 4, 2048, List.of(
                new WorkerReport.InstanceReport(crashed.id(), new InstanceStatus(crashed.id(), PowerState.CRASHED,
                        "out of memory"), null, null),
                new WorkerReport.InstanceReport(orphan, new InstanceStatus(orphan, PowerState.RUNNING, null), null, null)));

        Instance repaired = f.instances.get(alice, vanished.id());
        assertEquals("pending", repaired.state(), "a running instance that vanished is launched again");
        assertTrue(repaired.stateReason().contains("disappeared"));
        Instance stopped = f.instances.get(alice, crashed.id());
        assertEquals("stopped", stopped.state());
        assertTrue(stopped.stateReason().contains("out of memory"), stopped.stateReason());
        assertEquals("pending", f.instances.get(alice, pending.id()).state(), "an inventory never moves a pending one");

        List<ComputeFixture.Sent> sent = f.takeSent();
        assertEquals(Set.of(Action.LAUNCH + ":" + vanished.id(), Action.TERMINATE + ":" + orphan),
                Set.copyOf(sent.stream().map(s -> s.task().action() + ":" + s.task().instanceId()).toList()));
        assertNull(sent.stream().filter(s -> s.task().instanceId().equals(orphan)).findFirst().orElseThrow().task().spec());
        f.answer(pendingLaunch, PowerState.RUNNING, null);
        assertEquals("running", f.instances.get(alice, pending.id()).state());
    }

    @Test
    void unansweredTasksAreSentAgainByTheSweep() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance i = launch(alice, subnet);
        onlySent(Action.LAUNCH); // lost on the way
        f.cluster.sweep();
        assertEquals(List.of(), sentFor(i.id()), "not before task.resend.seconds");
        f.clock.advance(Duration.ofSeconds(16));
        f.heartbeat(host, 4, 2048, List.of()); // the worker is alive, it just never got the task
        f.cluster.sweep();
        List<ComputeFixture.Sent> resent = sentFor(i.id()); // (other tests' pending instances are resent too)
        assertEquals(1, resent.size());
        ComputeFixture.Sent again = resent.get(0);
        assertEquals(Action.LAUNCH, again.task().action());
        assertEquals(host, again.hostId());
        f.answer(again, PowerState.RUNNING, null);
        assertEquals("running", f.instances.get(alice, i.id()).state());
    }

    @Test
    void aPublicSubnetGivesEachInstanceAPublicAddressUntilItIsTerminated() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, true);
        Instance i = launch(alice, subnet);
        assertNotNull(i.publicIp());
        assertTrue(i.publicIp().startsWith("198.19.0."), i.publicIp());
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        f.instances.terminate(alice, i.id());
        f.answer(onlySent(Action.TERMINATE), null, null);
        assertNull(f.instances.get(alice, i.id()).publicIp());
        assertEquals(0, f.count("SELECT COUNT(*) FROM public_ips WHERE address = ?", i.publicIp()));
    }

    @Test
    void instancesAreScopedToTheirOwnerAndListedByVpcAndState() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        Instance i = launch(alice, subnet);
        assertEquals("InvalidInstanceID.NotFound", code(() -> f.instances.get(bob, i.id())));
        assertEquals("InvalidInstanceID.NotFound", code(() -> f.instances.terminate(bob, i.id())));
        assertEquals("InvalidInstanceID.Malformed", code(() -> f.instances.get(alice, "i-123")));
        assertEquals(List.of(), f.instances.list(bob, null, null, PageRequest.first()).items());
        assertEquals(List.of(i.id()), f.instances.list(alice, vpc.id(), "pending", PageRequest.first()).items().stream()
                .map(Instance::id).toList());
        assertEquals(List.of(), f.instances.list(alice, vpc.id(), "running", PageRequest.first()).items());
        assertEquals("InvalidParameterValue", code(() -> f.instances.list(alice, null, "sleeping", PageRequest.first())));
        assertEquals(List.of(i.id()), f.instances.changedSince(alice, i.createdAt().minusSeconds(1), 10).stream()
                .map(Instance::id).toList());
        assertEquals(List.of(), f.instances.changedSince(alice, i.updatedAt(), 10));
        assertEquals(List.of(), f.instances.changedSince(bob, i.createdAt().minusSeconds(1), 10));
    }

    @Test
    void updateRenamesRetagsAndChangesSecurityGroupsOfTheSameVpcOnly() {
        Vpc vpc = f.vpc(alice);
        Subnet subnet = f.subnet(alice, vpc, 1, false);
        Instance i = launch(alice, subnet);
        SecurityGroup web = f.groups.create(alice, new CreateSecurityGroup(vpc.id(), "web", "web"));
        Instance updated = f.instances.update(alice, i.id(), new UpdateInstance("renamed", List.of(web.id()),
                Map.of("team", "a")));
        assertEquals("renamed", updated.name());
        assertEquals(List.of(web.id()), updated.securityGroupIds());
        assertEquals(Map.of("team", "a"), updated.tags());
        SecurityGroup elsewhere = f.groups.create(alice, new CreateSecurityGroup(f.vpc(alice).id(), "web", "web"));
        assertEquals("InvalidParameterValue", code(() -> f.instances.update(alice, i.id(),
                new UpdateInstance(null, List.of(elsewhere.id()), null))));
        assertEquals("DependencyViolation", code(() -> f.groups.delete(alice, web.id())), "the group is in use");
    }

    @Test
    void concurrentLaunchesGetDistinctAddressesAndExactCapacityAccounting() throws Exception {
        f.heartbeat(host, 32, 16384, List.of());
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        int launches = 12;
        ExecutorService pool = Executors.newFixedThreadPool(launches);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Instance>> futures = new ArrayList<>();
            for (int n = 0; n < launches; n++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return launch(alice, subnet);
                }));
            }
            go.countDown();
            Set<String> addresses = new HashSet<>();
            for (Future<Instance> future : futures) {
                addresses.add(future.get(120, TimeUnit.SECONDS).privateIp());
            }
            assertEquals(launches, addresses.size(), "distinct addresses: " + addresses);
            WorkerNode node = f.nodes.get(Caller.operator(), host);
            assertEquals(launches, node.cpuAllocated());
            assertEquals(launches * 512, node.memoryAllocatedMib());
            assertEquals(launches, node.instanceCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void consoleOutputIsAskedOfTheWorkerAndChangesNothing() throws Exception {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance i = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<io.goncloud.api.model.ConsoleOutput> pending = pool.submit(() -> f.instances.consoleOutput(alice, i.id()));
            ComputeFixture.Sent request = f.awaitSent();
            assertEquals(host, request.hostId());
            assertEquals(Action.CONSOLE_OUTPUT, request.task().action());
            assertEquals(i.id(), request.task().instanceId());
            assertNull(request.task().spec());
            // The answer carries no status: as an observation it would mean "gone"; as an answer it moves nothing.
            f.answerConsole(request, "gcp-init: ready\n", null);
            io.goncloud.api.model.ConsoleOutput console = pending.get(5, TimeUnit.SECONDS);
            assertEquals(i.id(), console.instanceId());
            assertEquals("gcp-init: ready\n", console.output());
            assertNotNull(console.timestamp());
            assertEquals("running", f.instances.get(alice, i.id()).state());
            assertTrue(f.takeSent().isEmpty(), "no follow-up task");

            f.answerConsole(request, "again", null); // a repeated answer finds nobody waiting
            assertEquals("running", f.instances.get(alice, i.id()).state());
            assertTrue(f.takeSent().isEmpty());

            // A driver failure on the worker is a 503 with the worker's words.
            pending = pool.submit(() -> f.instances.consoleOutput(alice, i.id()));
            f.answerConsole(f.awaitSent(), "", "docker: connection refused");
            Future<io.goncloud.api.model.ConsoleOutput> failed = pending;
            GcpException e = assertThrows(GcpException.class, () -> {
                try {
                    failed.get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException x) {
                    throw x.getCause();
                }
            });
            assertEquals(503, e.httpStatus());
            assertTrue(e.getMessage().contains("docker: connection refused"), e.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void consoleOutputWithoutAnAnswerIsServiceUnavailable() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance i = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        f.instances.setConsoleOutputTimeout(Duration.ofMillis(200));
        try {
            GcpException e = assertThrows(GcpException.class, () -> f.instances.consoleOutput(alice, i.id()));
            assertEquals("ServiceUnavailable", e.code());
            assertEquals(503, e.httpStatus());
            assertTrue(e.getMessage().contains("did not return the console output"), e.getMessage());
            ComputeFixture.Sent request = onlySent(Action.CONSOLE_OUTPUT);
            f.answerConsole(request, "too late", null); // dropped, and not taken for "the instance is gone"
            assertEquals("running", f.instances.get(alice, i.id()).state());
            assertTrue(f.takeSent().isEmpty());
        } finally {
            f.instances.setConsoleOutputTimeout(InstanceServiceImpl.CONSOLE_OUTPUT_TIMEOUT);
        }
    }

    @Test
    void consoleOutputOfAnotherTenantsOrATerminatedInstance() {
        Subnet subnet = f.subnet(alice, f.vpc(alice), 1, false);
        Instance i = launch(alice, subnet);
        f.answer(onlySent(Action.LAUNCH), PowerState.RUNNING, null);
        assertEquals("InvalidInstanceID.NotFound", code(() -> f.instances.consoleOutput(bob, i.id())));
        assertTrue(f.takeSent().isEmpty(), "nothing asked of the worker for a stranger");

        f.instances.terminate(alice, i.id());
        f.answer(onlySent(Action.TERMINATE), null, null);
        io.goncloud.api.model.ConsoleOutput console = f.instances.consoleOutput(alice, i.id());
        assertEquals("", console.output(), "a terminated instance has no console left");
        assertTrue(f.takeSent().isEmpty(), "and the worker is not asked");
    }

    @Test
    void consoleOutputIsCutToItsLast64KiBOnACharacterBoundary() {
        assertEquals("abc", InstanceServiceImpl.tail("abc", 3));
        assertEquals("bc", InstanceServiceImpl.tail("abc", 2));
        assertEquals("z", InstanceServiceImpl.tail("\u00e9z", 2), "half of a two-byte character is dropped");
        assertEquals("\u00e9z", InstanceServiceImpl.tail("a\u00e9z", 3));
    }
}
