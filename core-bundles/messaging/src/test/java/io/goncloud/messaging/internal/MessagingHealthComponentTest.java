package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.goncloud.messaging.internal.TestBrokers.HOST;
import static io.goncloud.messaging.internal.TestBrokers.config;
import static io.goncloud.messaging.internal.TestBrokers.freePort;
import static io.goncloud.messaging.internal.TestBrokers.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagingHealthComponentTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @AfterAll
    static void clientThreads() {
        ActiveMQClient.clearThreadPools();
    }

    @Test
    void reachableWhileTheBrokerRunsAndNotOnceItStopped(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        MessagingHealthComponent health = new MessagingHealthComponent(url(port), TIMEOUT);
        try {
            EmbeddedBroker broker = new EmbeddedBroker(HOST, port, dataDir);
            try {
                assertTrue(health.brokerReachable());
            } finally {
                broker.deactivate();
            }
            assertUnreachableQuickly(health);

            broker = new EmbeddedBroker(HOST, port, dataDir);
            try {
                assertTrue(health.brokerReachable(), "the same service sees the broker again after a restart");
            } finally {
                broker.deactivate();
            }
        } finally {
            health.deactivate();
        }
    }

    @Test
    void notReachableWhenNothingListens() throws Exception {
        MessagingHealthComponent health = new MessagingHealthComponent(url(freePort()), TIMEOUT);
        try {
            assertUnreachableQuickly(health);
        } finally {
            health.deactivate();
        }
    }

    @Test
    void configurationDefaults() throws Exception {
        MessagingHealthComponent health = new MessagingHealthComponent(config(MessagingConfig.class, Map.of()));
        try {
            assertEquals("tcp://127.0.0.1:61616", health.brokerUrl());
        } finally {
            health.deactivate();
        }
    }

    @Test
    void theTimeoutBoundsConnectingUnlessTheUrlSetsItsOwn() throws Exception {
        try (ServerLocator locator = MessagingHealthComponent.locator("tcp://127.0.0.1:61616", TIMEOUT)) {
            assertEquals("500", String.valueOf(connectTimeout(locator)));
            assertEquals(500, locator.getCallTimeout());
            assertEquals(0, locator.getReconnectAttempts());
        }
        try (ServerLocator locator = MessagingHealthComponent.locator(
                "tcp://127.0.0.1:61616?connect-timeout-millis=1234", TIMEOUT)) {
            assertEquals("1234", String.valueOf(connectTimeout(locator)));
        }
    }

    private static Object connectTimeout(ServerLocator locator) {
        return locator.getStaticTransportConfigurations()[0].getParams().get(TransportConstants.NETTY_CONNECT_TIMEOUT);
    }

    private static void assertUnreachableQuickly(MessagingHealthComponent health) {
        long start = System.nanoTime();
        assertFalse(health.brokerReachable());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(millis < 1_500, "answered in " + millis + " ms");
    }
}
