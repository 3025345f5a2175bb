package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.HostState;
import io.goncloud.messaging.internal.TransportFixture.RawSession;
import io.goncloud.messaging.internal.TransportFixture.RecordingReportHandler;
import io.goncloud.messaging.internal.TransportFixture.RecordingTaskHandler;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded broker with security on: a user per worker, who sees only its own queues, and the controller's. */
class BrokerAccessTest {

    private static final Map<String, Object> CONTROLLER = Map.of("broker_user", "controller",
            "_broker_password", "controller-secret");
    private static final Map<String, Object> WORKER_1 = Map.of("broker_user", "worker-1",
            "_broker_password", "secret-1");

    private TransportFixture fixture;

    @BeforeEach
    void broker(@TempDir Path dataDir) throws Exception {
        fixture = new TransportFixture(dataDir, new BrokerAccess("controller", "controller-secret",
                BrokerAccess.workers(new String[] {"worker-1:secret-1", "worker-2:secret:2"}), "DLQ"));
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @AfterAll
    static void clientThreads() {
        TransportFixture.clientThreads();
    }

    @Test
    void aWorkerGetsItsTasksAndStateAndSendsReportsWithItsOwnCredentials() throws Exception {
        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1");
        fixture.taskWhiteboard(WORKER_1).addTaskHandler(worker);
        RecordingReportHandler controller = new RecordingReportHandler();
        fixture.reportWhiteboard(CONTROLLER).addReportHandler(controller);
        HostStateFeed feed = fixture.stateFeed("worker-1", WORKER_1);

        fixture.taskSender(CONTROLLER).send("worker-1", Samples.terminate("t-1", "i-1"));
        assertEquals("t-1", worker.next().taskId());
        fixture.reportSender(WORKER_1).send(Samples.report("worker-1"));
        assertEquals("worker-1", controller.next().hostId());
        HostState state = Samples.hostState("worker-1", 1);
        fixture.statePublisher(CONTROLLER).publish(state);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TransportFixture.WAIT_SECONDS);
        while (!state.version().equals(feed.version())) {
            assertTrue(System.nanoTime() < deadline, "the state did not reach the worker");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void aWorkerCannotReadAnotherWorkersQueuesNorSendTasks() throws Exception {
        fixture.taskSender(CONTROLLER).send("worker-2", Samples.terminate("t-2", "i-2"));
        fixture.statePublisher(CONTROLLER).publish(Samples.hostState("worker-2", 1));
        fixture.reportSender(WORKER_1).send(Samples.report("worker-1")); // the reports queue exists from now on
        try (RawSession worker1 = new RawSession(fixture.url(), "worker-1", "secret-1")) {
            assertThrows(ActiveMQSecurityException.class, () -> worker1.session.createConsumer("gcp.tasks.worker-2"));
            assertThrows(ActiveMQSecurityException.class, () -> worker1.session.createConsumer("gcp.state.worker-2"));
            assertThrows(ActiveMQSecurityException.class, () -> worker1.session.createConsumer(Queues.REPORTS));
            assertThrows(ActiveMQSecurityException.class, () -> worker1.session.createConsumer("DLQ"));
        }
        IllegalStateException forged = assertThrows(IllegalStateException.class,
                () -> fixture.taskSender(WORKER_1).send("worker-2", Samples.terminate("t-forged", "i-2")));
        assertTrue(forged.getCause() instanceof ActiveMQSecurityException, String.valueOf(forged.getCause()));
        assertThrows(IllegalStateException.class,
                () -> fixture.statePublisher(WORKER_1).publish(Samples.hostState("worker-1", 9)),
                "a worker cannot write its own desired state either");

        RecordingTaskHandler worker2 = new RecordingTaskHandler("worker-2");
        fixture.taskWhiteboard(Map.of("broker_user", "worker-2", "_broker_password", "secret:2"))
                .addTaskHandler(worker2);
        assertEquals("t-2", worker2.next().taskId(), "the rightful worker still gets its task, and only that one");
        assertTrue(worker2.handled.poll(200, TimeUnit.MILLISECONDS) == null);
    }

    @Test
    void nobodyGetsInWithoutAUserOrWithAWrongPassword() {
        assertThrows(ActiveMQSecurityException.class, () -> new RawSession(fixture.url()).close());
        assertThrows(ActiveMQSecurityException.class, () -> new RawSession(fixture.url(), "worker-1", "secret-2").close());
        assertThrows(ActiveMQSecurityException.class, () -> new RawSession(fixture.url(), "worker-3", "secret-1").close());
        assertThrows(IllegalArgumentException.class, () -> BrokerAccess.workers(new String[] {"no-password"}));
        assertThrows(IllegalArgumentException.class, () -> new BrokerAccess("controller", "", Map.of(), "DLQ"));
    }
}
