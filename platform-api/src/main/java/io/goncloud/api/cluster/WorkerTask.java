package io.goncloud.api.cluster;

import io.goncloud.api.spi.compute.InstanceSpec;

/**
 * What the controller asks a worker to do with one instance.
 *
 * @param taskId     unique per task, echoed in the report that answers it
 * @param instanceId the instance
 * @param action     what to do
 * @param spec       everything needed to (re)create and start the instance; {@code null} only for
 *                   {@link Action#TERMINATE} of an instance the controller no longer knows, and for
 *                   {@link Action#CONSOLE_OUTPUT}
 */
public record WorkerTask(String taskId, String instanceId, Action action, InstanceSpec spec) {

    /** The most console output a worker returns (the tail), in bytes. */
    public static final int CONSOLE_OUTPUT_MAX_BYTES = 64 * 1024;

    public enum Action {
        /** Create if missing, then run. */
        LAUNCH,
        /** Run an existing instance (re-creating it from the spec if it vanished). */
        START,
        STOP,
        REBOOT,
        /** Remove the instance and everything made for it. */
        TERMINATE,
        /**
         * Change nothing: answer with a report whose {@code consoleOutput} is the tail of the instance's console
         * (empty when the host has no such instance). A request/reply: the controller waits for the answer a few
         * seconds only, so a late answer is dropped, and so is a repeated one.
         */
        CONSOLE_OUTPUT
    }
}
