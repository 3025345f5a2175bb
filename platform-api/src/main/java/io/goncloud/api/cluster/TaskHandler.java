package io.goncloud.api.cluster;

/**
 * Worker side, whiteboard: the transport delivers the tasks queued for {@link #hostId()} to this handler. Tasks
 * for one instance arrive one at a time and in order; tasks for different instances may run concurrently.
 * A task is acknowledged when {@link #handle} returns, and redelivered if it throws or the process dies.
 */
public interface TaskHandler {

    String hostId();

    void handle(WorkerTask task);
}
