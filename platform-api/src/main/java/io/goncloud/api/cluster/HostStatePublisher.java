package io.goncloud.api.cluster;

/**
 * Controller side: hands each worker the newest snapshot of its desired network state. The transport keeps only the
 * newest snapshot per host and gives it to the worker whenever it (re)connects, so publishing is needed only when the
 * state changed.
 */
public interface HostStatePublisher {

    /** @throws IllegalStateException when the snapshot could not be handed to the transport */
    void publish(HostState state);
}
