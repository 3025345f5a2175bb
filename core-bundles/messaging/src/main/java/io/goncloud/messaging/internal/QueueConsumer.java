package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.api.core.ActiveMQObjectClosedException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Feeds one durable queue to one handler on {@code threads} threads, each with its own connection, session and
 * consumer, so a session is only ever used by one thread.
 * <ul>
 * <li>Ordering: the broker keeps a message group (the instance id of a task) on one consumer, and a consumer
 * hands its messages to the handler one at a time; different groups run on different threads.</li>
 * <li>Acknowledgement: only after the handler returned. A failure is retried here, after a doubling delay, and
 * not by rolling back to the broker: a broker redelivery delay would let the group's next message overtake the
 * failed one. After {@link Redelivery#maxAttempts()} the message is moved to the dead-letter address.</li>
 * <li>Broker outages: any connection failure closes the thread's connection; it reconnects with a doubling
 * pause and resumes. Unacknowledged messages go back to the queue and are delivered again, in order.</li>
 * </ul>
 */
final class QueueConsumer<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    /** How often a waiting thread checks whether it should stop. */
    private static final long RECEIVE_TIMEOUT_MS = 500;
    private static final long FIRST_RECONNECT_DELAY_MS = 100;
    /** How long closing lets a running handler finish before the connections are cut under it. */
    private static final long CLOSE_GRACE_MS = 2_000;

    private final BrokerClient client;
    private final String queue;
    private final Redelivery redelivery;
    private final long reconnectMaxDelayMs;
    private final Function<String, T> decoder;
    private final Consumer<T> handler;
    private final String name;
    private final ServerLocator locator;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param decoder reads a message body; throws {@link IllegalArgumentException} for a body it cannot read
     * @param name    the handler, in log messages and thread names
     */
    QueueConsumer(BrokerClient client, String queue, int threads, Redelivery redelivery, long reconnectMaxDelayMs,
                  Function<String, T> decoder, Consumer<T> handler, String name) throws Exception {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one consumer thread is needed, not " + threads);
        }
        this.client = client;
        this.queue = queue;
        this.redelivery = redelivery;
        this.reconnectMaxDelayMs = Math.max(FIRST_RECONNECT_DELAY_MS, reconnectMaxDelayMs);
        this.decoder = decoder;
        this.handler = handler;
        this.name = name;
        this.locator = client.consumerLocator();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::consume, "gcp-consumer-" + queue + "-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
        }
        this.threads.forEach(Thread::start);
        LOG.info("Consuming {} from {} with {} thread(s) for {}", queue, client.url(), threads, name);
    }

    private boolean running() {
        return closing.getCount() > 0;
    }

    /** Waits, unless closing; answers whether to go on. */
    private boolean pause(long millis) {
        try {
            return !closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void consume() {
        int failures = 0;
        while (running()) {
            try (ClientSessionFactory factory = locator.createSessionFactory();
                 ClientSession session = client.session(factory)) {
                Queues.ensure(session, queue);
                try (ClientConsumer consumer = session.createConsumer(queue)) {
                    session.start();
                    if (failures > 0) {
                        LOG.info("Consuming {} again after {} failed attempt(s)", queue, failures);
                    }
                    failures = 0;
                    while (running()) {
                        ClientMessage message = consumer.receive(RECEIVE_TIMEOUT_MS);
                        if (message != null) {
                            deliver(session, message);
                        } else if (consumer.isClosed() || session.isClosed() || factory.isClosed()) {
                            throw new ActiveMQObjectClosedException("the connection to the broker was lost");
                        }
                    }
                }
            } catch (Exception e) {
                if (!running()) {
                    return;
                }
                failures++;
                if (failures == 1) {
                    LOG.warn("Cannot consume {} from {}: {}; retrying until it works", queue, client.url(),
                            e.toString());
                } else {
                    LOG.debug("Cannot consume {} from {} (attempt {})", queue, client.url(), failures, e);
                }
                pause(reconnectDelay(failures));
            }
        }
    }

    private long reconnectDelay(int failures) {
        long delay = FIRST_RECONNECT_DELAY_MS << Math.min(failures - 1, 20);
        return Math.min(delay, reconnectMaxDelayMs);
    }

    /** Hands one message to the handler until it succeeds or is given up; acknowledges it then. */
    private void deliver(ClientSession session, ClientMessage message) throws Exception {
        T value;
        try {
            value = decoder.apply(Queues.text(message));
        } catch (RuntimeException e) {
            // Retrying cannot make an unreadable message readable.
            deadLetter(session, message, "unreadable: " + e.getMessage());
            message.individualAcknowledge();
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                handler.accept(value);
                message.individualAcknowledge();
                return;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                if (attempt >= redelivery.maxAttempts()) {
                    LOG.error("{} failed {} time(s) on message {} of {}: giving up", name, attempt,
                            describe(message), queue, e);
                    deadLetter(session, message, e.toString());
                    message.individualAcknowledge();
                    return;
                }
                long delay = redelivery.delayAfter(attempt);
                LOG.warn("{} failed on message {} of {} (attempt {} of {}); again in {} ms: {}", name,
                        describe(message), queue, attempt, redelivery.maxAttempts(), delay, e.toString());
                if (!pause(delay)) {
                    return; // closing: the broker delivers it again, unacknowledged as it is
                }
            }
        }
    }

    /** Moves a copy of the message, with its properties and the reason, to the dead-letter address. */
    private void deadLetter(ClientSession session, ClientMessage message, String reason) throws Exception {
        String text = Queues.text(message);
        ClientMessage copy = Queues.textMessage(session, text == null ? "" : text, null);
        for (var property : message.getPropertyNames()) {
            copy.putObjectProperty(property, message.getObjectProperty(property));
        }
        copy.putStringProperty(Queues.PROP_ORIGINAL_QUEUE, queue);
        copy.putStringProperty(Queues.PROP_FAILURE, reason);
        try (ClientProducer producer = session.createProducer(redelivery.deadLetterAddress())) {
            producer.send(copy);
        }
        LOG.error("Message {} of {} moved to {}: {}", describe(message), queue, redelivery.deadLetterAddress(),
                reason);
    }

    private static String describe(ClientMessage message) {
        String taskId = message.getStringProperty(Queues.PROP_TASK_ID);
        String instanceId = message.getStringProperty(Queues.PROP_INSTANCE_ID);
        String hostId = message.getStringProperty(Queues.PROP_HOST_ID);
        return taskId != null ? "task " + taskId + " (instance " + instanceId + ")"
                : hostId != null ? "from host " + hostId : String.valueOf(message.getMessageID());
    }

    /**
     * Stops consuming: lets running handlers finish for a moment, then closes the connections. What was not
     * acknowledged is delivered again to whoever consumes the queue next.
     */
    @Override
    public void close() {
        closing.countDown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
        join(deadline);
        locator.close();
        join(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS));
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                LOG.warn("{} is still running in {} after its consumer closed", name, thread.getName());
            }
        }
        LOG.info("Stopped consuming {} for {}", queue, name);
    }

    private void join(long deadlineNanos) {
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                return;
            }
            try {
                thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
