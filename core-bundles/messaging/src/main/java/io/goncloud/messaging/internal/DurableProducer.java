package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Sends persistent text messages to durable queues over one lazily opened connection. A send returns once the
 * broker has the message in its journal, or throws {@link IllegalStateException} within about the configured
 * timeout: callers resend later, nothing is buffered here. After a failure the connection is dropped and the
 * next send opens a new one, which is how a restarted broker is picked up again.
 */
final class DurableProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableProducer.class);

    private final BrokerClient client;
    private final ServerLocator locator;
    // Guarded by this: an Artemis session is for one thread at a time.
    private ClientSessionFactory factory;
    private ClientSession session;
    private ClientProducer producer;
    private final Set<String> knownQueues = new HashSet<>();
    private boolean closed;

    DurableProducer(BrokerClient client) throws Exception {
        this.client = client;
        this.locator = client.producerLocator();
    }

    /**
     * @param groupId    the message group (see {@link Queues#textMessage}), or null
     * @param properties string properties for routing-free diagnostics and filtering
     * @throws IllegalStateException when the broker did not take the message
     */
    synchronized void send(String queue, String text, String groupId, Map<String, String> properties) {
        if (closed) {
            throw new IllegalStateException("the messaging client is stopped");
        }
        long start = System.nanoTime();
        boolean reused = session != null && !session.isClosed();
        try {
            attempt(queue, text, groupId, properties);
        } catch (Exception first) {
            disconnect();
            // A connection that was fine until now may just have missed a broker restart: one fresh try, unless
            // the first one already used up most of the caller's patience.
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (!reused || elapsedMs > client.timeout().toMillis() / 2) {
                throw failure(queue, first);
            }
            try {
                attempt(queue, text, groupId, properties);
            } catch (Exception second) {
                disconnect();
                second.addSuppressed(first);
                throw failure(queue, second);
            }
        }
    }

    private void attempt(String queue, String text, String groupId, Map<String, String> properties)
            throws Exception {
        if (session == null || session.isClosed()) {
            disconnect();
            factory = locator.createSessionFactory();
            session = client.session(factory);
            producer = session.createProducer();
        }
        if (!knownQueues.contains(queue)) {
            Queues.ensure(session, queue);
            knownQueues.add(queue);
        }
        ClientMessage message = Queues.textMessage(session, text, groupId);
        properties.forEach(message::putStringProperty);
        producer.send(queue, message);
    }

    private IllegalStateException failure(String queue, Exception cause) {
        return new IllegalStateException("the broker at " + client.url() + " did not take the message for " + queue
                + ": " + cause.getMessage(), cause);
    }

    private void disconnect() {
        knownQueues.clear();
        if (factory != null) {
            try {
                factory.close(); // closes the session and producer with it
            } catch (RuntimeException e) {
                LOG.debug("Closing the connection to {} failed", client.url(), e);
            }
        }
        factory = null;
        session = null;
        producer = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
        locator.close();
    }
}
