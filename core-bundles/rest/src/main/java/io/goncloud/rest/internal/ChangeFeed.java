package io.goncloud.rest.internal;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.StateChangeListener;

import java.util.HashMap;
import java.util.Map;

/**
 * Wakes the live event streams when something has changed. The database tells it after every committed
 * write ({@link StateChangeListener}); it only counts, and each stream then asks the services itself what
 * changed for its caller. It also keeps each user to a few concurrent streams.
 */
public final class ChangeFeed implements StateChangeListener {

    /** Too many open streams for one user; EC2 names throttling {@code RequestLimitExceeded}. */
    public static final ErrorCode TOO_MANY_STREAMS = new ErrorCode("RequestLimitExceeded", 429);
    public static final int DEFAULT_MAX_STREAMS_PER_USER = 5;

    private final int maxStreamsPerUser;
    private final Map<String, Integer> open = new HashMap<>();
    private long generation;
    private boolean closed;

    public ChangeFeed(int maxStreamsPerUser) {
        if (maxStreamsPerUser < 1) {
            throw new IllegalArgumentException("maxStreamsPerUser must be at least 1");
        }
        this.maxStreamsPerUser = maxStreamsPerUser;
    }

    /** Called on the committing thread: notes the change and returns at once. */
    @Override
    public synchronized void desiredStateChanged() {
        generation++;
        notifyAll();
    }

    /** A number that grows with every change; pass it to {@link #awaitChange}. */
    public synchronized long generation() {
        return generation;
    }

    /**
     * Waits until a change after {@code seen}, the feed's closing, or the timeout, whichever comes first.
     *
     * @return the current generation (equal to {@code seen} when the wait timed out)
     */
    public synchronized long awaitChange(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (generation == seen && !closed) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                break;
            }
            wait(remaining);
        }
        return generation;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Ends every stream (at their next wake-up, which this causes). */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Counts a new stream for the caller, or refuses it with 429 when the caller already has the maximum open.
     * Close the result when the stream ends.
     */
    public synchronized Subscription open(Caller caller) {
        if (closed) {
            throw new GcpException(ErrorCode.SERVICE_UNAVAILABLE, "The API is shutting down");
        }
        String key = caller.isOperator() ? "" : caller.userId();
        int count = open.getOrDefault(key, 0);
        if (count >= maxStreamsPerUser) {
            throw new GcpException(TOO_MANY_STREAMS, "You already have " + count + " event streams open, the most "
                    + "allowed; close one (or reuse it) before opening another");
        }
        open.put(key, count + 1);
        return new Subscription(key);
    }

    /** Streams open for the caller now. */
    public synchronized int openStreams(Caller caller) {
        return open.getOrDefault(caller.isOperator() ? "" : caller.userId(), 0);
    }

    private synchronized void release(String key) {
        open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** One open stream; closing it twice counts once. */
    public final class Subscription implements AutoCloseable {
        private final String key;
        private boolean released;

        private Subscription(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            synchronized (ChangeFeed.this) {
                if (!released) {
                    released = true;
                    release(key);
                }
            }
        }
    }
}
