package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/** Names of the platform's queues and message properties, and the few operations every client needs on them. */
final class Queues {

    static final String TASKS_PREFIX = "gcp.tasks.";
    static final String REPORTS = "gcp.reports";
    /** Per host: the newest snapshot of its desired network state (a non-destructive last-value queue). */
    static final String STATE_PREFIX = "gcp.state.";
    /** The last-value key of state snapshots: one value per queue, so each new snapshot replaces the last. */
    static final String STATE_LAST_VALUE = "state";

    static final String PROP_TASK_ID = "gcp_task_id";
    static final String PROP_INSTANCE_ID = "gcp_instance_id";
    static final String PROP_HOST_ID = "gcp_host_id";
    /** Set on dead-lettered messages: the queue they came from and why they were given up. */
    static final String PROP_ORIGINAL_QUEUE = "gcp_original_queue";
    static final String PROP_FAILURE = "gcp_failure";

    private Queues() {
    }

    /** The durable queue of one worker's tasks. */
    static String tasks(String hostId) {
        return TASKS_PREFIX + checkedHostId(hostId);
    }

    /** The queue holding the newest snapshot of one host's desired network state. */
    static String state(String hostId) {
        return STATE_PREFIX + checkedHostId(hostId);
    }

    private static String checkedHostId(String hostId) {
        if (hostId == null || hostId.isBlank()) {
            throw new IllegalArgumentException("hostId must not be empty");
        }
        String id = hostId.trim();
        // Artemis wildcards in an address would make the queue match other workers' address settings.
        if (id.contains("#") || id.contains("*") || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("hostId must not contain '#', '*' or white space: " + hostId);
        }
        return id;
    }

    /**
     * Creates the durable anycast queue (and its address) unless it exists. State queues are last-value queues (a new
     * snapshot replaces the one held) and non-destructive (consuming does not remove it), so a worker that connects,
     * or reconnects after any restart, gets the newest snapshot at once; whichever side comes first creates them so.
     */
    static void ensure(ClientSession session, String queue) throws ActiveMQException {
        if (session.queueQuery(SimpleString.of(queue)).isExists()) {
            return;
        }
        QueueConfiguration configuration = QueueConfiguration.of(queue).setAddress(queue)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true);
        if (queue.startsWith(STATE_PREFIX)) {
            configuration.setLastValue(true).setNonDestructive(true);
        }
        try {
            session.createQueue(configuration);
        } catch (ActiveMQQueueExistsException e) {
            // Another client created it meanwhile.
        }
    }

    /**
     * A persistent text message, encoded as JMS text messages are, so that the Artemis console and JMS clients
     * can read it. {@code groupId} (the instance id for tasks) keeps one group's messages on one consumer, in
     * order.
     */
    static ClientMessage textMessage(ClientSession session, String text, String groupId) {
        ClientMessage message = session.createMessage(Message.TEXT_TYPE, true);
        message.getBodyBuffer().writeNullableSimpleString(SimpleString.of(text));
        if (groupId != null) {
            message.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(groupId));
        }
        return message;
    }

    /** The text of a message made by {@link #textMessage}; null when the body is not text. */
    static String text(ClientMessage message) {
        if (message.getType() != Message.TEXT_TYPE) {
            return null;
        }
        SimpleString text = message.getReadOnlyBodyBuffer().readNullableSimpleString();
        return text == null ? null : text.toString();
    }
}
