package io.goncloud.api.cluster;

/** Controller side: sends tasks to workers (a durable queue per worker). */
public interface TaskSender {

    /** @throws IllegalStateException when the message could not be handed to the transport */
    void send(String hostId, WorkerTask task);
}
