package io.goncloud.api.cluster;

import io.goncloud.api.spi.compute.InstanceSpec;

/**
 * What the controller asks a worker to do with one instance.
 *
 * @param taskId     unique per task, echoed in the report that answers it
 * @param instanceId the instance
 * @param action     what to do
 * @param spec       everything needed to (re)create and start the instance; {@code null} only for
 *                   {@link Action#TERMINATE} of an instance the controller no longer knows
 */
public record WorkerTask(String taskId, String instanceId, Action action, InstanceSpec spec) {

    public enum Action {
        /** Create if missing, then run. */
        LAUNCH,
        /** Run an existing instance (re-creating it from the spec if it vanished). */
        START,
        STOP,
        REBOOT,
        /** Remove the instance and everything made for it. */
        TERMINATE
    }
}
