package io.goncloud.agent;

import io.goncloud.api.service.NetworkStateService;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.FirewallDriver;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.NetworkDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the network agent schedules its passes, with hand-written drivers and desired state: requests that
 * arrive while a pass runs join one queued pass (which reads the state after all of them, so it serves them
 * all) and that pass runs once; a forced request makes the queued pass a full {@code apply}; a request is
 * answered once its pass has succeeded. The drivers' own tests and the scenario tests cover the real ones.
 *
 * <p>The agent starts with a full pass of its own (at once, then every {@code resync_seconds}). Each test's
 * agent has a resync interval far longer than the test, and the first request waits for that start pass
 * (one thread runs the passes in order) before any driver is added: it finds no driver and does nothing.
 */
class NetworkAgentPassesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** A new desired network at every read (another VPC id), so that every pass has something to apply. */
    private static final class ChangingState implements NetworkStateService {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public HostNetwork desiredNetwork(String hostId) {
            int n = reads.incrementAndGet();
            return new HostNetwork(null, List.of(new HostNetwork.VpcNetwork("gcp-test-vpc-" + n, "10.0.0.0/16",
                    List.of(), List.of(), null, List.of())));
        }

        @Override
        public FirewallPolicy desiredFirewall(String hostId) {
            return new FirewallPolicy(List.of(), List.of());
        }
    }

    /** Records which of its methods each pass called; holds a pass inside them while {@link #gate} is closed. */
    private static final class RecordingNetworkDriver implements NetworkDriver {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Semaphore entered = new Semaphore(0);
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile RuntimeException failure;

        @Override
        public DriverInfo info() {
            return new DriverInfo("gcp-test-network", DriverKind.NETWORK, "1", Set.of());
        }

        @Override
        public HealthReport probe() {
            return HealthReport.ok("a test driver");
        }

        @Override
        public AppliedNetwork apply(HostNetwork desired) {
            return pass("apply");
        }

        @Override
        public AppliedNetwork applyChanges(HostNetwork desired) {
            return pass("applyChanges");
        }

        private AppliedNetwork pass(String method) {
            calls.add(method);
            entered.release();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: the agent stopped");
            }
            if (failure != null) {
                throw failure;
            }
            return new AppliedNetwork(Map.of());
        }

        /** Waits until a pass is inside {@link #apply} or {@link #applyChanges}. */
        void awaitEntered() throws InterruptedException {
            assertTrue(entered.tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS), "a pass should reach the driver");
        }
    }

    private static final class QuietFirewall implements FirewallDriver {
        @Override
        public DriverInfo info() {
            return new DriverInfo("gcp-test-firewall", DriverKind.FIREWALL, "1", Set.of());
        }

        @Override
        public HealthReport probe() {
            return HealthReport.ok("a test driver");
        }

        @Override
        public void apply(FirewallPolicy desired) {
        }
    }

    private final ChangingState state = new ChangingState();
    private final RecordingNetworkDriver network = new RecordingNetworkDriver();
    private NetworkAgent agent;

    @BeforeEach
    void startAgent() {
        agent = new NetworkAgent(state, config());
        assertFalse(agent.applyNow(DEADLINE, false), "no driver yet: no pass succeeds (and the start pass is over)");
        assertEquals(0, state.reads.get(), "without drivers nothing is read");
        agent.addFirewallDriver(new QuietFirewall());
        agent.addNetworkDriver(network);
        assertTrue(agent.applyNow(DEADLINE, false), "with both drivers a pass succeeds");
        network.calls.clear();
        network.entered.drainPermits();
    }

    @AfterEach
    void stopAgent() {
        network.gate.countDown();
        agent.stop();
    }

    @Test
    void requestsDuringAPassJoinOneQueuedPassThatRunsOnce() throws Exception {
        network.gate = new CountDownLatch(1);
        Future<Boolean> running = agent.applySoon(false);
        network.awaitEntered();
        int readsWhileRunning = state.reads.get();

        Future<Boolean> queued = agent.applySoon(false);
        agent.desiredStateChanged(); // a commit meanwhile
        Future<Boolean> another = agent.applySoon(false);

        assertNotSame(running, queued, "a pass that has started cannot serve a later request");
        assertSame(queued, another, "requests before the queued pass starts join it");
        assertFalse(queued.isDone(), "it has not run: the first pass still holds the agent's thread");
        assertEquals(List.of("applyChanges"), network.calls);

        network.gate.countDown();
        assertTrue(NetworkAgent.await(running, DEADLINE));
        assertTrue(NetworkAgent.await(queued, DEADLINE), "the queued pass succeeded: " + agent.lastOutcome());
        assertEquals(readsWhileRunning + 1, state.reads.get(), "one more pass read the desired state");
        assertEquals(List.of("applyChanges", "applyChanges"), network.calls, "three requests, one pass");

        assertTrue(agent.applyNow(DEADLINE, false), "a request after it gets a pass of its own");
        assertEquals(List.of("applyChanges", "applyChanges", "applyChanges"), network.calls,
                "and nothing ran in between");
    }

    @Test
    void aForcedRequestMakesTheQueuedPassAFullApply() throws Exception {
        network.gate = new CountDownLatch(1);
        Future<Boolean> running = agent.applySoon(false);
        network.awaitEntered();

        Future<Boolean> queued = agent.applySoon(false);
        assertSame(queued, agent.applySoon(true), "a forced request joins the queued pass too");
        assertSame(queued, agent.applySoon(false), "and a later unforced one does not undo it");

        network.gate.countDown();
        assertTrue(NetworkAgent.await(running, DEADLINE));
        assertTrue(NetworkAgent.await(queued, DEADLINE), "the queued pass succeeded: " + agent.lastOutcome());
        assertEquals(List.of("applyChanges", "apply"), network.calls,
                "the queued pass was full: the forced request asked for a repair of everything");
    }

    @Test
    void applyNowAnswersWhetherThePassSucceeded() {
        assertTrue(agent.applyNow(DEADLINE, false), "succeeded: " + agent.lastOutcome());
        assertEquals(List.of("applyChanges"), network.calls, "the driver had converged the change by then");
        assertTrue(agent.lastOutcome().success());

        assertTrue(agent.applyNow(DEADLINE, true));
        assertEquals(List.of("applyChanges", "apply"), network.calls, "a forced request is a full pass");

        network.failure = new IllegalStateException("the kernel said no");
        assertFalse(agent.applyNow(DEADLINE, false), "a pass the driver failed is no success");
        assertFalse(agent.lastOutcome().success());
        assertTrue(agent.lastOutcome().detail().contains("the kernel said no"), agent.lastOutcome().detail());
    }

    @Test
    void stoppingTheAgentAnswersTheQueuedPassAtOnce() throws Exception {
        network.gate = new CountDownLatch(1);
        agent.applySoon(false);
        network.awaitEntered();
        Future<Boolean> queued = agent.applySoon(false);

        agent.stop();

        assertTrue(queued.isDone(), "nobody waits for a pass that will never run");
        assertFalse(NetworkAgent.await(queued, DEADLINE));
        assertFalse(NetworkAgent.await(agent.applySoon(true), DEADLINE), "a stopped agent runs no pass");
    }

    private static NetworkAgent.Config config() {
        return new NetworkAgent.Config() {
            public String host_id() { return "gcp-test-host"; }
            public String network_driver() { return ""; }
            public String firewall_driver() { return ""; }
            public long resync_seconds() { return 3600; }
            public boolean enabled() { return true; }
            public Class<? extends Annotation> annotationType() { return NetworkAgent.Config.class; }
        };
    }
}
