package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.TaskHandler;
import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import io.goncloud.messaging.internal.TransportFixture.RawSession;
import io.goncloud.messaging.internal.TransportFixture.RecordingReportHandler;
import io.goncloud.messaging.internal.TransportFixture.RecordingTaskHandler;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tasks and reports through a real embedded broker: delivery, ordering, retries, dead letters. */
class TransportTest {

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
    void aTaskAndAReportArriveWithEveryField() throws Exception {
        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1");
        fixture.taskWhiteboard(Map.of()).addTaskHandler(worker);
        RecordingReportHandler controller = new RecordingReportHandler();
        fixture.reportWhiteboard().addReportHandler(controller);

        WorkerTask launch = Samples.launch("t-1", "i-1");
        WorkerTask terminate = Samples.terminate("t-2", "i-1");
        fixture.taskSender().send("worker-1", launch);
        fixture.taskSender().send("worker-1", terminate);
        WorkerReport report = Samples.report("worker-1");
        fixture.reportSender().send(report);

        assertEquals(launch, worker.next(), "spec with nics, keys, labels and user data intact");
        assertEquals(terminate, worker.next(), "a null spec stays null");
        WorkerReport received = controller.next();
        assertEquals(report, received);
        assertEquals(report.sentAt(), received.sentAt(), "nanoseconds of the Instant survive");
    }

    @Test
    void aTaskIsAPersistentJsonMessageThatNamesItsInstance() throws Exception {
        fixture.taskSender().send("worker-raw", Samples.launch("t-7", "i-7"));

        ClientMessage message = fixture.raw().receive("gcp.tasks.worker-raw");
        assertNotNull(message);
        assertTrue(message.isDurable());
        assertEquals("i-7", message.getStringProperty(Queues.PROP_INSTANCE_ID));
        assertEquals("i-7", message.getStringProperty(Message.HDR_GROUP_ID), "grouped by instance");
        assertEquals("t-7", message.getStringProperty(Queues.PROP_TASK_ID));
        assertEquals("worker-raw", message.getStringProperty(Queues.PROP_HOST_ID));
        String json = Queues.text(message);
        assertTrue(json.contains("\"instance_id\":\"i-7\"") && json.contains("\"mac_address\""), json);
    }

    @Test
    void tasksOfOneInstanceRunInOrderAndInstancesConcurrently() throws Exception {
        int instances = 5;
        int perInstance = 10;
        OrderRecordingHandler worker = new OrderRecordingHandler("worker-1", instances * perInstance);
        fixture.taskWhiteboard(Map.of("task_threads", 4)).addTaskHandler(worker);

        ArtemisTaskSender sender = fixture.taskSender();
        for (int seq = 0; seq < perInstance; seq++) {
            for (int i = 0; i < instances; i++) {
                sender.send("worker-1", Samples.terminate(seq + "", "i-" + i));
            }
        }

        assertTrue(worker.done.await(30, TimeUnit.SECONDS), "all tasks handled; missing " + worker.done.getCount());
        List<String> expected = IntStream.range(0, perInstance).mapToObj(String::valueOf).toList();
        for (int i = 0; i < instances; i++) {
            assertEquals(expected, worker.order.get("i-" + i), "tasks of i-" + i + " in the order sent");
        }
        assertEquals(0, worker.overlapsWithinAnInstance.get(), "one instance's tasks never overlap");
        assertTrue(worker.maxInFlight.get() > 1, "tasks of different instances ran at the same time");
    }

    @Test
    void aHandlerThatThrowsGetsTheTaskAgainBeforeTheInstancesNextTask() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1") {
            @Override
            public void handle(WorkerTask task) {
                if (task.taskId().equals("t-1") && attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("docker is restarting");
                }
                super.handle(task);
            }
        };
        fixture.taskWhiteboard(Map.of()).addTaskHandler(worker);

        fixture.taskSender().send("worker-1", Samples.launch("t-1", "i-1"));
        fixture.taskSender().send("worker-1", Samples.terminate("t-2", "i-1"));

        assertEquals("t-1", worker.next().taskId());
        assertEquals("t-2", worker.next().taskId(), "the next task waited for the failed one");
        assertEquals(2, attempts.get());
        assertNull(worker.handled.poll(200, TimeUnit.MILLISECONDS), "acknowledged once handled: no third delivery");
    }

    @Test
    void aTaskThatKeepsFailingGoesToTheDeadLetterQueueAndTheInstanceMovesOn() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1") {
            @Override
            public void handle(WorkerTask task) {
                if (task.taskId().equals("t-bad")) {
                    attempts.incrementAndGet();
                    throw new IllegalArgumentException("image format qcow3 unknown");
                }
                super.handle(task);
            }
        };
        fixture.taskWhiteboard(Map.of("max_delivery_attempts", 3)).addTaskHandler(worker);

        fixture.taskSender().send("worker-1", Samples.launch("t-bad", "i-1"));
        fixture.taskSender().send("worker-1", Samples.terminate("t-next", "i-1"));

        assertEquals("t-next", worker.next().taskId());
        assertEquals(3, attempts.get());
        ClientMessage dead = fixture.raw().receive(EmbeddedBroker.DEAD_LETTER_QUEUE);
        assertNotNull(dead, "the failed task is in the DLQ");
        assertEquals("t-bad", dead.getStringProperty(Queues.PROP_TASK_ID));
        assertEquals("gcp.tasks.worker-1", dead.getStringProperty(Queues.PROP_ORIGINAL_QUEUE));
        assertTrue(dead.getStringProperty(Queues.PROP_FAILURE).contains("qcow3"));
        assertEquals(Samples.launch("t-bad", "i-1"), ProtocolJson.read(Queues.text(dead), WorkerTask.class));
    }

    @Test
    void anUnreadableMessageGoesToTheDeadLetterQueueWithoutReachingTheHandler() throws Exception {
        RecordingTaskHandler worker = new RecordingTaskHandler("worker-1");
        fixture.taskWhiteboard(Map.of()).addTaskHandler(worker);
        RawSession raw = fixture.raw();

        raw.sendText("gcp.tasks.worker-1", "{not json");
        fixture.taskSender().send("worker-1", Samples.terminate("t-1", "i-1"));

        assertEquals("t-1", worker.next().taskId());
        ClientMessage dead = raw.receive(EmbeddedBroker.DEAD_LETTER_QUEUE);
        assertNotNull(dead);
        assertEquals("{not json", Queues.text(dead));
        assertTrue(dead.getStringProperty(Queues.PROP_FAILURE).startsWith("unreadable"));
        assertTrue(worker.handled.isEmpty());
    }

    @Test
    void aTaskSentBeforeItsHandlerRegistersIsDeliveredWhenItDoes() throws Exception {
        fixture.taskSender().send("worker-late", Samples.launch("t-1", "i-1"));
        fixture.reportSender().send(Samples.report("worker-late"));

        RecordingTaskHandler worker = new RecordingTaskHandler("worker-late");
        fixture.taskWhiteboard(Map.of()).addTaskHandler(worker);
        RecordingReportHandler controller = new RecordingReportHandler();
        fixture.reportWhiteboard().addReportHandler(controller);

        assertEquals("t-1", worker.next().taskId());
        assertEquals("worker-late", controller.next().hostId());
    }

    @Test
    void aRemovedHandlerGetsNothingMoreAndTheNextOneGetsWhatWaited() throws Exception {
        TaskHandlerWhiteboard whiteboard = fixture.taskWhiteboard(Map.of());
        RecordingTaskHandler first = new RecordingTaskHandler("worker-1");
        whiteboard.addTaskHandler(first);
        ArtemisTaskSender sender = fixture.taskSender();
        sender.send("worker-1", Samples.terminate("t-1", "i-1"));
        assertEquals("t-1", first.next().taskId());

        whiteboard.removeTaskHandler(first);
        sender.send("worker-1", Samples.terminate("t-2", "i-1"));
        RecordingTaskHandler other = new RecordingTaskHandler("worker-2");
        whiteboard.addTaskHandler(other);
        sender.send("worker-2", Samples.terminate("t-3", "i-3"));
        assertEquals("t-3", other.next().taskId());
        assertTrue(first.handled.isEmpty(), "the removed handler got nothing more");

        RecordingTaskHandler second = new RecordingTaskHandler("worker-1");
        whiteboard.addTaskHandler(second);
        assertEquals("t-2", second.next().taskId());
    }

    /**
     * Records, per instance, the order of the task ids it handled, whether one instance ever had two tasks in
     * flight, and how many tasks were in flight at most. A task waits (up to 2 s) for a second one to be in
     * flight, so that concurrency shows without depending on timing.
     */
    private static final class OrderRecordingHandler implements TaskHandler {

        private final String hostId;
        final CountDownLatch done;
        final Map<String, List<String>> order = new ConcurrentHashMap<>();
        final AtomicInteger overlapsWithinAnInstance = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Map<String, AtomicInteger> inFlightPerInstance = new ConcurrentHashMap<>();
        private final CountDownLatch overlapSeen = new CountDownLatch(1);

        OrderRecordingHandler(String hostId, int expected) {
            this.hostId = hostId;
            this.done = new CountDownLatch(expected);
        }

        @Override
        public String hostId() {
            return hostId;
        }

        @Override
        public void handle(WorkerTask task) {
            AtomicInteger mine = inFlightPerInstance.computeIfAbsent(task.instanceId(), id -> new AtomicInteger());
            if (mine.incrementAndGet() > 1) {
                overlapsWithinAnInstance.incrementAndGet();
            }
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            if (now > 1) {
                overlapSeen.countDown();
            }
            try {
                overlapSeen.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.computeIfAbsent(task.instanceId(), id -> Collections.synchronizedList(new ArrayList<>()))
                    .add(task.taskId());
            inFlight.decrementAndGet();
            mine.decrementAndGet();
            done.countDown();
        }
    }
}
