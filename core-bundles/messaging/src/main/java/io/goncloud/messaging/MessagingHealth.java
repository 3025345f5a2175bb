package io.goncloud.messaging;

/** Whether the platform's message broker answers. */
public interface MessagingHealth {

    /**
     * Connects to the broker and opens a session. Answers within about the configured connect timeout; never
     * throws.
     *
     * @return true when a broker answered at {@link #brokerUrl()}
     */
    boolean brokerReachable();

    /** The Artemis core URL the platform uses, e.g. {@code tcp://127.0.0.1:61616}. */
    String brokerUrl();
}
