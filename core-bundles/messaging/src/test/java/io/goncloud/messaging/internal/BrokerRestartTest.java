package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.messaging.internal.TransportFixture.RecordingReportHandler;
import io.goncloud.messaging.internal.TransportFixture.RecordingTaskHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport across broker outages: the broker stops and starts again on the same journal. */
class BrokerRestartTest {

    /** How long a send may take to fail while the broker is down (the default timeout is 2 s). */
    private static final long FAIL_FAST_MS = 2_500;

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

    @Test
    void sendersFailFastWhileTheBrokerIsDownAndEverythingResumesAfterItsRestart() throws Exception {
        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1");
        fixture.taskWhiteboard(Map.of()).addTaskHandler(worker);
        RecordingReportHandler controller = new RecordingReportHandler();
        fixture.reportWhiteboard().addReportHandler(controller);
        ArtemisTaskSender tasks = fixture.taskSender();
        ArtemisReportSender reports = fixture.reportSender();
        tasks.send("worker-1", Samples.terminate("t-1", "i-1"));
        reports.send(Samples.report("worker-1"));
        assertEquals("t-1", worker.next().taskId());
        controller.next();
        // Handled is not yet acknowledged: stopping the broker in between would rightly deliver them again.
        fixture.awaitEmpty("gcp.tasks.worker-1");
        fixture.awaitEmpty(Queues.REPORTS);

        fixture.stopBroker();
        assertFailsFast(() -> tasks.send("worker-1", Samples.terminate("t-lost", "i-1")));
        assertFailsFast(() -> reports.send(Samples.report("worker-1")));
        assertFailsFast(() -> tasks.send("worker-1", Samples.terminate("t-lost", "i-1")));

        fixture.startBroker();
        tasks.send("worker-1", Samples.terminate("t-2", "i-1"));
        reports.send(Samples.report("worker-2"));
        assertEquals("t-2", worker.next().taskId(), "the same handler consumes again, not re-registered");
        assertEquals("worker-2", controller.next().hostId());
        assertTrue(worker.handled.isEmpty() && controller.handled.isEmpty());
    }

    @Test
    void messagesPersistedBeforeARestartAreDeliveredAfterIt() throws Exception {
        ArtemisTaskSender tasks = fixture.taskSender();
        List<WorkerTask> sent = List.of(Samples.launch("t-1", "i-1"), Samples.launch("t-2", "i-2"),
                Samples.terminate("t-3", "i-1"));
        for (WorkerTask task : sent) {
            tasks.send("worker-1", task);
        }
        fixture.reportSender().send(Samples.report("worker-1"));

        fixture.stopBroker();
        fixture.startBroker();

        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1");
        fixture.taskWhiteboard(Map.of("task_threads", 1)).addTaskHandler(worker);
        RecordingReportHandler controller = new RecordingReportHandler();
        fixture.reportWhiteboard().addReportHandler(controller);
        assertEquals(sent, List.of(worker.next(), worker.next(), worker.next()));
        assertEquals(Samples.report("worker-1"), controller.next());
    }

    @Test
    void consumersStartedBeforeTheBrokerConsumeOnceItRuns() throws Exception {
        fixture.stopBroker();
        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1");
        fixture.taskWhiteboard(Map.of()).addTaskHandler(worker);
        ArtemisTaskSender tasks = fixture.taskSender();
        assertFailsFast(() -> tasks.send("worker-1", Samples.terminate("t-0", "i-1")));

        fixture.startBroker();
        tasks.send("worker-1", Samples.terminate("t-1", "i-1"));
        assertEquals("t-1", worker.next().taskId());
    }

    private static void assertFailsFast(Executable send) {
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, send);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < FAIL_FAST_MS, "failed after " + millis + " ms: " + e.getMessage());
    }
}
