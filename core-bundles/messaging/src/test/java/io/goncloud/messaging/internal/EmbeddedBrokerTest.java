package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.goncloud.messaging.internal.TestBrokers.HOST;
import static io.goncloud.messaging.internal.TestBrokers.accepts;
import static io.goncloud.messaging.internal.TestBrokers.config;
import static io.goncloud.messaging.internal.TestBrokers.freePort;
import static io.goncloud.messaging.internal.TestBrokers.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedBrokerTest {

    private static final String QUEUE = "gcp.test.tasks";

    @AfterAll
    static void clientThreads() {
        ActiveMQClient.clearThreadPools();
    }

    @Test
    void durableMessageSurvivesABrokerRestart(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        String id = UUID.randomUUID().toString();

        EmbeddedBroker broker = new EmbeddedBroker(HOST, port, dataDir);
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url(port));
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            try (ClientProducer producer = session.createProducer(QUEUE)) {
                ClientMessage message = session.createMessage(true);
                message.putStringProperty("taskId", id);
                message.getBodyBuffer().writeString("start instance i-123");
                producer.send(message);
            }
        } finally {
            broker.deactivate();
        }
        assertFalse(accepts(HOST, port), "the acceptor is closed once the broker stopped");
        assertTrue(Files.isDirectory(dataDir.resolve("journal")));
        assertTrue(Files.isDirectory(dataDir.resolve("bindings")));

        broker = new EmbeddedBroker(HOST, port, dataDir);
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url(port));
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession();
             ClientConsumer consumer = session.createConsumer(QUEUE)) {
            session.start();
            ClientMessage received = consumer.receive(5_000);
            assertNotNull(received, "the durable message is still there after the restart");
            received.acknowledge();
            assertEquals(id, received.getStringProperty("taskId"));
            assertEquals("start instance i-123", received.getBodyBuffer().readString());
            assertTrue(received.isDurable());
            assertNull(consumer.receiveImmediate(), "exactly one message");
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void acceptorListensOnTheConfiguredAddressOnly(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        EmbeddedBroker broker = new EmbeddedBroker(HOST, port, dataDir);
        try {
            assertTrue(accepts(HOST, port));
            // Another loopback address on the same port: nothing listens there.
            assertFalse(accepts("127.0.0.2", port));
            assertFalse(broker.server().getConfiguration().isSecurityEnabled());
            assertFalse(broker.server().getConfiguration().isJMXManagementEnabled());
            assertEquals(1, broker.server().getConfiguration().getAcceptorConfigurations().size());
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void activationFromConfigurationStartsTheBroker(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        EmbeddedBroker broker = new EmbeddedBroker(config(BrokerConfig.class,
                Map.of("acceptor_port", port, "data_dir", dataDir.toString())));
        try {
            assertTrue(accepts(HOST, port), "acceptor_host defaults to 127.0.0.1");
            assertTrue(broker.server().getConfiguration().isPersistenceEnabled());
            assertEquals(dataDir.resolve("journal").toString(), broker.server().getConfiguration().getJournalDirectory());
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void notEmbeddedDoesNothing() throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(config(BrokerConfig.class, Map.of("embedded", false)));
        assertNull(broker.server());
        broker.deactivate();
    }

    @Test
    void dataDirDefaultsToKarafData(@TempDir Path karafData) {
        String previous = System.getProperty("karaf.data");
        System.setProperty("karaf.data", karafData.toString());
        try {
            assertEquals(karafData.resolve("artemis"), EmbeddedBroker.dataDir(""));
            assertEquals(karafData.resolve("elsewhere"), EmbeddedBroker.dataDir(karafData.resolve("elsewhere").toString()));
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", previous);
            }
        }
    }

    @Test
    void portInUseFailsActivationAndLeavesNothingRunning(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            int port = taken.getLocalPort();
            Exception e = assertThrows(Exception.class, () -> new EmbeddedBroker(HOST, port, dataDir));
            assertTrue(String.valueOf(e.getMessage()).contains(String.valueOf(port)), e.toString());
        }
        // The journal lock was released: a broker on the same directory starts.
        int port = freePort();
        EmbeddedBroker broker = new EmbeddedBroker(HOST, port, dataDir);
        try {
            assertTrue(accepts(HOST, port));
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void aJournalLockedByAnotherBrokerFailsActivationInsteadOfHanging(@TempDir Path dataDir) throws Exception {
        EmbeddedBroker first = new EmbeddedBroker(HOST, freePort(), dataDir);
        try {
            int port = freePort();
            Configuration second = EmbeddedBroker.configuration(HOST, port, dataDir)
                    .setJournalLockAcquisitionTimeout(300);
            long start = System.nanoTime();
            assertThrows(Exception.class, () -> EmbeddedBroker.start(second, null));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
            assertFalse(accepts(HOST, port), "the second broker left nothing listening");
        } finally {
            first.deactivate();
        }
    }
}
