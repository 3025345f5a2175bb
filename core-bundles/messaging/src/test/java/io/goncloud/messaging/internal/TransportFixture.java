package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.ReportHandler;
import io.goncloud.api.cluster.TaskHandler;
import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.goncloud.messaging.internal.TestBrokers.HOST;
import static io.goncloud.messaging.internal.TestBrokers.freePort;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real embedded broker on a free loopback port with its journal in a temporary directory, and the transport's
 * components built as SCR would build them, with short delays so that the tests stay quick.
 */
final class TransportFixture implements AutoCloseable {

    static final long WAIT_SECONDS = 10;

    private final Path dataDir;
    private final int port = freePort();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final BrokerAccess access;
    private EmbeddedBroker broker;

    TransportFixture(Path dataDir) throws Exception {
        this(dataDir, null);
    }

    /** @param access who may do what on the broker; null: anyone anything */
    TransportFixture(Path dataDir, BrokerAccess access) throws Exception {
        this.dataDir = dataDir;
        this.access = access;
        startBroker();
    }

    void startBroker() throws Exception {
        broker = new EmbeddedBroker(HOST, port, dataDir, access);
    }

    void stopBroker() {
        broker.deactivate();
        broker = null;
    }

    String url() {
        return TestBrokers.url(port);
    }

    /** The configuration of PID io.goncloud.messaging for this broker, fast retries, and {@code overrides}. */
    MessagingConfig config(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of(
                "broker_url", url(),
                "redelivery_delay_ms", 50L,
                "redelivery_max_delay_ms", 200L,
                "reconnect_max_delay_ms", 300L));
        values.putAll(overrides);
        return TestBrokers.config(MessagingConfig.class, values);
    }

    ArtemisTaskSender taskSender() throws Exception {
        return taskSender(Map.of());
    }

    ArtemisTaskSender taskSender(Map<String, Object> overrides) throws Exception {
        ArtemisTaskSender sender = new ArtemisTaskSender(config(overrides));
        toClose.push(sender::deactivate);
        return sender;
    }

    ArtemisReportSender reportSender() throws Exception {
        return reportSender(Map.of());
    }

    ArtemisReportSender reportSender(Map<String, Object> overrides) throws Exception {
        ArtemisReportSender sender = new ArtemisReportSender(config(overrides));
        toClose.push(sender::deactivate);
        return sender;
    }

    ArtemisHostStatePublisher statePublisher() throws Exception {
        return statePublisher(Map.of());
    }

    ArtemisHostStatePublisher statePublisher(Map<String, Object> overrides) throws Exception {
        ArtemisHostStatePublisher publisher = new ArtemisHostStatePublisher(config(overrides));
        toClose.push(publisher::deactivate);
        return publisher;
    }

    /** A worker's state feed; closed with the fixture unless the test closes it first (closing twice is harmless). */
    HostStateFeed stateFeed(String hostId) throws Exception {
        return stateFeed(hostId, Map.of());
    }

    HostStateFeed stateFeed(String hostId, Map<String, Object> overrides) throws Exception {
        MessagingConfig config = config(overrides);
        HostStateFeed feed = new HostStateFeed(BrokerClient.of(config), hostId, Redelivery.of(config),
                config.reconnect_max_delay_ms());
        toClose.push(feed);
        return feed;
    }

    TaskHandlerWhiteboard taskWhiteboard(Map<String, Object> overrides) {
        TaskHandlerWhiteboard whiteboard = new TaskHandlerWhiteboard(config(overrides));
        toClose.push(whiteboard::deactivate);
        return whiteboard;
    }

    ReportHandlerWhiteboard reportWhiteboard() {
        return reportWhiteboard(Map.of());
    }

    ReportHandlerWhiteboard reportWhiteboard(Map<String, Object> overrides) {
        ReportHandlerWhiteboard whiteboard = new ReportHandlerWhiteboard(config(overrides));
        toClose.push(whiteboard::deactivate);
        return whiteboard;
    }

    /**
     * Waits until {@code queue} holds no message, neither waiting nor in delivery: what was handled has been
     * acknowledged.
     */
    void awaitEmpty(String queue) throws Exception {
        try (RawSession raw = new RawSession(url())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            long count;
            while ((count = raw.session.queueQuery(SimpleString.of(queue)).getMessageCount()) > 0) {
                assertTrue(System.nanoTime() < deadline, queue + " still holds " + count + " message(s)");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** A plain core session on the broker, for looking at raw messages. */
    RawSession raw() throws Exception {
        RawSession raw = new RawSession(url());
        toClose.push(raw);
        return raw;
    }

    @Override
    public void close() throws Exception {
        while (!toClose.isEmpty()) {
            toClose.pop().close();
        }
        if (broker != null) {
            stopBroker();
        }
    }

    static void clientThreads() {
        ActiveMQClient.clearThreadPools();
    }

    /** Records the tasks it is given. */
    static class RecordingTaskHandler implements TaskHandler {

        private final String hostId;
        final BlockingQueue<WorkerTask> handled = new LinkedBlockingQueue<>();

        RecordingTaskHandler(String hostId) {
            this.hostId = hostId;
        }

        @Override
        public String hostId() {
            return hostId;
        }

        @Override
        public void handle(WorkerTask task) {
            handled.add(task);
        }

        WorkerTask next() throws InterruptedException {
            WorkerTask task = handled.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(task, "no task within " + WAIT_SECONDS + " s");
            return task;
        }
    }

    /** Records the reports it is given. */
    static class RecordingReportHandler implements ReportHandler {

        final BlockingQueue<WorkerReport> handled = new LinkedBlockingQueue<>();

        @Override
        public void handle(WorkerReport report) {
            handled.add(report);
        }

        WorkerReport next() throws InterruptedException {
            WorkerReport report = handled.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(report, "no report within " + WAIT_SECONDS + " s");
            return report;
        }
    }

    /** A core session outside the transport: sends raw messages, reads queues such as the DLQ. */
    static final class RawSession implements AutoCloseable {

        private final ServerLocator locator;
        private final ClientSessionFactory factory;
        final ClientSession session;

        RawSession(String url) throws Exception {
            this(url, null, null);
        }

        /** A session as {@code user}; throws when the broker refuses it (the factory is closed then). */
        RawSession(String url, String user, String password) throws Exception {
            // Fail fast: a refused session must not wait out the default call timeout (30 s).
            locator = user == null ? ActiveMQClient.createServerLocator(url)
                    : BrokerClient.failFastLocator(url, java.time.Duration.ofSeconds(2));
            factory = locator.createSessionFactory();
            try {
                session = factory.createSession(user, password, false, true, true, false, 0);
            } catch (Exception e) {
                close();
                throw e;
            }
            session.start();
        }

        /** The next message of {@code queue}, acknowledged, or null after the wait. */
        ClientMessage receive(String queue) throws Exception {
            try (ClientConsumer consumer = session.createConsumer(queue)) {
                ClientMessage message = consumer.receive(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                if (message != null) {
                    message.individualAcknowledge();
                }
                return message;
            }
        }

        void sendText(String queue, String text) throws Exception {
            Queues.ensure(session, queue);
            try (ClientProducer producer = session.createProducer(queue)) {
                producer.send(Queues.textMessage(session, text, null));
            }
        }

        @Override
        public void close() {
            factory.close();
            locator.close();
        }
    }
}
