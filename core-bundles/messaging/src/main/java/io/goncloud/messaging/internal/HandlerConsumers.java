package io.goncloud.messaging.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The consumers of a whiteboard: one per handler service, started on bind and closed on unbind. */
final class HandlerConsumers<H> {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerConsumers.class);

    /** Starts consuming for a handler. */
    interface Factory<H> {
        AutoCloseable start(H handler) throws Exception;
    }

    private final Factory<H> factory;
    // Guarded by this. Handlers are services: identity, not equals, tells them apart.
    private final Map<H, AutoCloseable> consumers = new IdentityHashMap<>();
    private boolean closed;

    HandlerConsumers(Factory<H> factory) {
        this.factory = factory;
    }

    synchronized void add(H handler) {
        if (closed || consumers.containsKey(handler)) {
            return;
        }
        try {
            consumers.put(handler, factory.start(handler));
        } catch (Exception e) {
            // A bad host id or configuration: this handler gets nothing, the others are unaffected.
            LOG.error("Cannot consume for {}", handler, e);
        }
    }

    void remove(H handler) {
        AutoCloseable consumer;
        synchronized (this) {
            consumer = consumers.remove(handler);
        }
        close(consumer); // outside the lock: closing waits for a running handler
    }

    void close() {
        List<AutoCloseable> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(consumers.values());
            consumers.clear();
        }
        all.forEach(HandlerConsumers::close);
    }

    private static void close(AutoCloseable consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close();
        } catch (Exception e) {
            LOG.warn("Closing a consumer failed", e);
        }
    }
}
