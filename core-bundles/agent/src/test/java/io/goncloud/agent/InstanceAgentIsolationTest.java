package io.goncloud.agent;

import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One compute driver that fails must not break the agent's work with the others (pure unit test, fake drivers). */
class InstanceAgentIsolationTest {

    /** A driver keeping instances in a map; {@code broken} makes every call about instances throw. */
    private static final class FakeDriver implements ComputeDriver {
        final String name;
        final String format;
        final Map<String, InstanceStatus> instances = new ConcurrentHashMap<>();
        volatile boolean broken;
        volatile boolean brokenInfo;
        /** Like a driver whose native library is missing (libvirt0 on a containers-only worker). */
        volatile boolean noLibrary;

        FakeDriver(String name, String format) {
            this.name = name;
            this.format = format;
        }

        private void check() {
            if (noLibrary) {
                throw new UnsatisfiedLinkError("Unable to load library 'virt'");
            }
            if (broken) {
                throw new IllegalStateException(name + " daemon does not answer");
            }
        }

        public DriverInfo info() {
            if (brokenInfo) {
                throw new IllegalStateException(name + " has no info");
            }
            return new DriverInfo(name, DriverKind.COMPUTE, "1", Set.of(IMAGE_FORMAT + format));
        }

        public HealthReport probe() {
            return HealthReport.ok(name);
        }

        public InstanceStatus launch(InstanceSpec spec) {
            check();
            InstanceStatus s = new InstanceStatus(spec.instanceId(), PowerState.RUNNING, null);
            instances.put(spec.instanceId(), s);
            return s;
        }

        public InstanceStatus start(InstanceSpec spec) {
            return launch(spec);
        }

        public InstanceStatus stop(String id, Duration grace) {
            check();
            InstanceStatus s = new InstanceStatus(id, PowerState.STOPPED, null);
            instances.put(id, s);
            return s;
        }

        public InstanceStatus reboot(InstanceSpec spec, Duration grace) {
            return launch(spec);
        }

        public void destroy(String id) {
            check();
            instances.remove(id);
        }

        public Optional<InstanceStatus> inspect(String id) {
            check();
            return Optional.ofNullable(instances.get(id));
        }

        public List<InstanceStatus> list() {
            check();
            return List.copyOf(instances.values());
        }

        public String consoleOutput(String id, int maxBytes) {
            check();
            return "console of " + id;
        }
    }

    private final List<WorkerReport> reports = new CopyOnWriteArrayList<>();
    private final NetworkAgent network = new NetworkAgent(null, new NetworkAgent.Config() {
        public String host_id() { return "isolation-host"; }
        public String network_driver() { return ""; }
        public String firewall_driver() { return ""; }
        public long resync_seconds() { return 3600; }
        public boolean enabled() { return false; }
        public Class<? extends Annotation> annotationType() { return NetworkAgent.Config.class; }
    });
    private final InstanceAgent agent = new InstanceAgent(network, new WorkerConfig() {
        public String host_id() { return "isolation-host"; }
        public boolean instances_enabled() { return false; }
        public long heartbeat_seconds() { return 3600; }
        public double cpu_allocation_ratio() { return 1; }
        public double memory_allocation_ratio() { return 1; }
        public long stop_grace_seconds() { return 1; }
        public String underlay_address() { return ""; }
        public Class<? extends Annotation> annotationType() { return WorkerConfig.class; }
    }, reports::add);
    /** Listed first: it is asked before the healthy one everywhere. */
    private final FakeDriver broken = new FakeDriver("broken", "qcow2");
    private final FakeDriver healthy = new FakeDriver("healthy", "docker-rootfs");

    InstanceAgentIsolationTest() {
        agent.addComputeDriver(broken);
        agent.addComputeDriver(healthy);
        healthy.instances.put("c1", new InstanceStatus("c1", PowerState.RUNNING, null));
        broken.instances.put("v1", new InstanceStatus("v1", PowerState.RUNNING, null));
        broken.broken = true;
    }

    @AfterEach
    void stop() {
        agent.stop();
        network.stop();
    }

    private WorkerReport last() {
        assertFalse(reports.isEmpty(), "a report was sent");
        return reports.get(reports.size() - 1);
    }

    @Test
    void aDriverThatCannotListIsLeftOutOfTheHeartbeatWithItsCapabilities() {
        agent.heartbeat();

        WorkerReport heartbeat = last();
        assertTrue(heartbeat.inventory());
        assertEquals(List.of("c1"), heartbeat.instances().stream().map(WorkerReport.InstanceReport::instanceId).toList(),
                "the healthy driver's inventory is sent");
        assertTrue(heartbeat.capabilities().contains("image-format:docker-rootfs"), heartbeat.capabilities().toString());
        // Without its format, the controller does not take the broken driver's instances for missing.
        assertFalse(heartbeat.capabilities().contains("image-format:qcow2"), heartbeat.capabilities().toString());
        assertFalse(heartbeat.capabilities().contains("compute:broken"), heartbeat.capabilities().toString());

        broken.broken = false;
        agent.heartbeat();
        assertEquals(Set.of("c1", "v1"), Set.copyOf(last().instances().stream()
                .map(WorkerReport.InstanceReport::instanceId).toList()), "and it is back once it answers");
        assertTrue(last().capabilities().contains("image-format:qcow2"));
    }

    @Test
    void aDriverWithoutInfoDoesNotStopTheHeartbeat() {
        broken.broken = false;
        broken.brokenInfo = true;
        agent.heartbeat();
        assertTrue(last().capabilities().contains("compute:healthy"), last().capabilities().toString());
        assertFalse(last().capabilities().contains("image-format:qcow2"));
    }

    @Test
    void stopConsoleAndTerminateReachTheDriverThatHasTheInstancePastABrokenOne() {
        agent.handle(new WorkerTask("t1", "c1", WorkerTask.Action.STOP, null));
        assertNull(last().instances().get(0).error());
        assertEquals(PowerState.STOPPED, last().instances().get(0).status().power());

        agent.handle(new WorkerTask("t2", "c1", WorkerTask.Action.CONSOLE_OUTPUT, null));
        assertEquals("console of c1", last().instances().get(0).consoleOutput());

        agent.handle(new WorkerTask("t3", "c1", WorkerTask.Action.TERMINATE, null));
        WorkerReport.InstanceReport terminated = last().instances().get(0);
        assertNull(terminated.error(), "the healthy driver destroyed it");
        assertNull(terminated.status());
        assertTrue(healthy.instances.isEmpty());
    }

    @Test
    void aTerminateNoDriverCouldCarryOutIsReportedAsAnError() {
        agent.handle(new WorkerTask("t4", "v1", WorkerTask.Action.TERMINATE, null));
        WorkerReport.InstanceReport outcome = last().instances().get(0);
        assertNotNull(outcome.error(), "the broken driver may still have it");
        assertTrue(outcome.error().contains("broken daemon does not answer"), outcome.error());
        assertEquals(List.of("c1"), new ArrayList<>(healthy.instances.keySet()), "the healthy driver's instance is untouched");
    }

    @Test
    void aDriverWithoutItsNativeLibraryDoesNotStopTheHeartbeat() {
        broken.broken = false;
        broken.noLibrary = true;
        agent.heartbeat();
        assertEquals(List.of("c1"), last().instances().stream().map(WorkerReport.InstanceReport::instanceId).toList());
        assertFalse(last().capabilities().contains("image-format:qcow2"), last().capabilities().toString());
    }

    @Test
    void scheduledHeartbeatsGoOnAfterOneFailsWithAnError() throws Exception {
        List<WorkerReport> sent = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        InstanceAgent scheduled = new InstanceAgent(network, new WorkerConfig() {
            public String host_id() { return "isolation-host"; }
            public boolean instances_enabled() { return true; }
            public long heartbeat_seconds() { return 1; }
            public double cpu_allocation_ratio() { return 1; }
            public double memory_allocation_ratio() { return 1; }
            public long stop_grace_seconds() { return 1; }
            public String underlay_address() { return ""; }
            public Class<? extends Annotation> annotationType() { return WorkerConfig.class; }
        }, report -> {
            if (calls.incrementAndGet() == 1) {
                throw new NoClassDefFoundError("a bundle refreshed under the sender");
            }
            sent.add(report);
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sent.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50); // waiting for the agent's own schedule
            }
            assertFalse(sent.isEmpty(), "a heartbeat follows the one that failed (" + calls.get() + " attempts)");
        } finally {
            scheduled.stop();
        }
    }
}
