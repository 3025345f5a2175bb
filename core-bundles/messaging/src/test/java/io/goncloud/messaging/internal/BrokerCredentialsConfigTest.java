package io.goncloud.messaging.internal;

import io.goncloud.messaging.internal.TransportFixture.RawSession;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.goncloud.messaging.internal.TestBrokers.config;
import static io.goncloud.messaging.internal.TestBrokers.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Broker credentials as an operator writes them in {@code etc/io.goncloud.broker.cfg}: a {@code .cfg} file has no
 * lists, so every worker's credential comes in one string, which DS hands over as a one-element array.
 */
class BrokerCredentialsConfigTest {

    @AfterAll
    static void clientThreads() {
        TransportFixture.clientThreads();
    }

    @Test
    void everyWorkerOfOneCfgValueGetsInWithItsOwnPasswordOnly(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        EmbeddedBroker broker = new EmbeddedBroker(config(BrokerConfig.class, Map.of(
                "acceptor_port", port,
                "data_dir", dataDir.toString(),
                "security_enabled", true,
                "_controller_password", "controller-secret",
                // What `.worker.credentials = worker-1:pw:1, worker-2:pw2 worker-3:pw3` in a .cfg file becomes.
                "_worker_credentials", new String[] {"worker-1:pw:1, worker-2:pw2 worker-3:pw3"})));
        String url = TestBrokers.url(port);
        try {
            new RawSession(url, "controller", "controller-secret").close();
            new RawSession(url, "worker-1", "pw:1").close();
            new RawSession(url, "worker-2", "pw2").close();
            new RawSession(url, "worker-3", "pw3").close();
            assertThrows(ActiveMQSecurityException.class,
                    () -> new RawSession(url, "worker-1", "pw:1, worker-2:pw2 worker-3:pw3").close());
            assertThrows(ActiveMQSecurityException.class, () -> new RawSession(url, "worker-2", "pw3").close());
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void entriesMaySpreadOverSeveralValuesButAWorkerHasOneCredentialAndIsNotTheController() {
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), BrokerAccess.workers(new String[] {", a:1,b:2", " c:3 ", ""}));
        assertThrows(IllegalArgumentException.class, () -> BrokerAccess.workers(new String[] {"a:1, a:2"}));
        assertThrows(IllegalArgumentException.class, () -> BrokerAccess.workers(new String[] {"a:1, b"}));
        assertThrows(IllegalArgumentException.class, () -> new BrokerAccess("controller", "secret",
                Map.of("controller", "other"), "DLQ"), "a worker named like the controller would take its rights");
    }
}
