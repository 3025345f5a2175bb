package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.HostState;
import io.goncloud.api.service.StateChangeListener;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker without a database gets its desired network state from the controller over a real broker: the newest
 * snapshot per host, at once, after any restart.
 */
class HostStateTransportTest {

    private TransportFixture fixture;

    @BeforeEach
    void broker(@TempDir Path dataDir) throws Exception {
        fixture = new TransportFixture(dataDir);
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @AfterAll
    static void clientThreads() {
        TransportFixture.clientThreads();
    }

    /** Counts the times the feed woke its listeners (the network agent would start a pass each time). */
    private static final class Wakeups implements StateChangeListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void desiredStateChanged() {
            count.incrementAndGet();
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TransportFixture.WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + TransportFixture.WAIT_SECONDS + " s: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void awaitVersion(HostStateFeed feed, HostState state) {
        await(() -> state.version().equals(feed.version()), "version " + state.version());
    }

    @Test
    void aPublishedSnapshotReachesTheWorkersFeedAndWakesItsAgent() throws Exception {
        HostStateFeed feed = fixture.stateFeed("worker-1");
        Wakeups agent = new Wakeups();
        feed.addListener(agent);
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> feed.desiredNetwork("worker-1"));
        assertTrue(unknown.getMessage().contains("gcp.state.worker-1"), unknown.getMessage());

        HostState state = Samples.hostState("worker-1", 2);
        fixture.statePublisher().publish(state);
        awaitVersion(feed, state);

        assertEquals(state.network(), feed.desiredNetwork("worker-1"));
        assertEquals(state.firewall(), feed.desiredFirewall("worker-1"));
        assertEquals(1, agent.count.get());
        assertThrows(IllegalArgumentException.class, () -> feed.desiredNetwork("worker-2"),
                "a feed serves its own host only");
    }

    @Test
    void aWorkerStartingLateGetsOnlyTheNewestSnapshotAndOnlyItsOwn() throws Exception {
        ArtemisHostStatePublisher controller = fixture.statePublisher();
        for (int ports = 1; ports <= 5; ports++) {
            controller.publish(Samples.hostState("worker-1", ports));
        }
        HostState newest = Samples.hostState("worker-1", 6);
        controller.publish(newest);
        controller.publish(Samples.hostState("worker-2", 9));
        assertEquals(1, messages(Queues.state("worker-1")), "the queue keeps the newest snapshot only");

        HostStateFeed feed = fixture.stateFeed("worker-1");
        Wakeups agent = new Wakeups();
        feed.addListener(agent);
        awaitVersion(feed, newest);
        assertEquals(newest.network(), feed.desiredNetwork("worker-1"));
        assertEquals(1, agent.count.get(), "no older snapshot came first");
        assertEquals(1, messages(Queues.state("worker-1")), "consuming does not remove it: the next start gets it too");
    }

    @Test
    void afterABrokerRestartWorkersStillGetTheNewestAndTheFeedResumes() throws Exception {
        HostState before = Samples.hostState("worker-1", 1);
        fixture.statePublisher().publish(before);
        HostStateFeed feed = fixture.stateFeed("worker-1");
        awaitVersion(feed, before);

        fixture.stopBroker();
        assertEquals(before.network(), feed.desiredNetwork("worker-1"), "the last state holds while the broker is away");
        fixture.startBroker();

        HostStateFeed restartedWorker = fixture.stateFeed("worker-1");
        awaitVersion(restartedWorker, before); // from the journal: the controller sent nothing since
        HostState after = Samples.hostState("worker-1", 2);
        fixture.statePublisher().publish(after);
        awaitVersion(feed, after); // the feed running through the outage reconnected by itself
        awaitVersion(restartedWorker, after);
    }

    @Test
    void aRestartedControllerRepublishingTheSameStateWakesNobodyAndANewStateConverges() throws Exception {
        HostState state = Samples.hostState("worker-1", 3);
        ArtemisHostStatePublisher first = fixture.statePublisher();
        first.publish(state);
        HostStateFeed feed = fixture.stateFeed("worker-1");
        Wakeups agent = new Wakeups();
        feed.addListener(agent);
        awaitVersion(feed, state);
        first.deactivate();

        ArtemisHostStatePublisher restarted = fixture.statePublisher();
        HostState same = HostState.of("worker-1", state.network(), state.firewall(), state.computedAt().plusSeconds(60));
        restarted.publish(same); // what a controller does at start: it does not know what was sent before
        HostState changed = Samples.hostState("worker-1", 4);
        restarted.publish(changed);
        awaitVersion(feed, changed);
        assertEquals(2, agent.count.get(), "woken for the first and the changed state, not for the repeat");
        assertEquals(changed.firewall(), feed.desiredFirewall("worker-1"));
    }

    @Test
    void aSnapshotOfTheVersionHeldWakesNobody() throws Exception {
        HostState state = Samples.hostState("worker-1", 1);
        HostStateFeed feed = fixture.stateFeed("worker-1");
        Wakeups agent = new Wakeups();
        feed.addListener(agent);
        ArtemisHostStatePublisher controller = fixture.statePublisher();
        controller.publish(state);
        awaitVersion(feed, state);
        controller.publish(HostState.of("worker-1", state.network(), state.firewall(), state.computedAt().plusSeconds(1)));
        HostState marker = Samples.hostState("worker-1", 2);
        controller.publish(marker); // snapshots of one queue arrive in order: once this is held, the repeat was seen
        awaitVersion(feed, marker);
        assertEquals(2, agent.count.get(), "woken for the first state and the marker, not for the repeat");
    }

    private long messages(String queue) throws Exception {
        return fixture.raw().session.queueQuery(SimpleString.of(queue)).getMessageCount();
    }
}
