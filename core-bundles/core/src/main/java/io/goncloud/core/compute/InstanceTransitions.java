package io.goncloud.core.compute;

import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import io.goncloud.core.persistence.InstanceEntity;

/**
 * The EC2 life cycle as a pure function: given an instance's row and what its worker observed, what changes.
 * Kept free of the database so every case can be tested on its own.
 */
final class InstanceTransitions {

    /**
     * @param state        the new state, or {@code null} to keep it
     * @param reason       the state's reason (with {@code state} or {@code terminate})
     * @param desiredState the new desired state, or {@code null} to keep it
     * @param terminate    the instance is gone for good: complete its termination
     * @param resend       send the task for the (new) desired state now
     */
    record Next(String state, String reason, String desiredState, boolean terminate, boolean resend) {
        static final Next NOTHING = new Next(null, null, null, false, false);

        static Next state(String state, String reason) {
            return new Next(state, reason, null, false, false);
        }
    }

    private InstanceTransitions() {
    }

    /**
     * @param inventory whether the observation comes from a periodic inventory rather than a task's answer;
     *                  an inventory may have been taken before a task ran, so it never moves a pending instance
     * @param everRan   whether the instance has been running before (a failed start is not a failed launch)
     */
    static Next next(InstanceEntity row, WorkerReport.InstanceReport seen, boolean inventory, boolean everRan) {
        boolean present = seen.status() != null;
        if ("terminated".equals(row.desiredState)) {
            if (!present && seen.error() != null && !inventory) {
                // The worker could not make sure the instance is gone (a driver failed): its address and capacity
                // stay taken until it can; the sweep sends the termination again.
                return Next.state("shutting-down", "The worker could not confirm the termination yet: " + seen.error());
            }
            return present ? Next.NOTHING : new Next(null, row.stateReason, null, true, false);
        }
        if (seen.error() != null) {
            return failed(row, seen, everRan);
        }
        if (!present) {
            return absent(row);
        }
        PowerState power = seen.status().power();
        String detail = seen.status().detail();
        boolean wantsRunning = "running".equals(row.desiredState);
        return switch (power) {
            case RUNNING -> wantsRunning
                    ? ("pending".equals(row.state) && inventory ? Next.NOTHING : Next.state("running", null))
                    : "stopped".equals(row.state) && inventory
                    ? new Next("running", "Started outside the platform", "running", false, false)
                    : Next.NOTHING; // a stop is on its way
            case STOPPED, CRASHED -> {
                String why = power == PowerState.CRASHED ? "The instance crashed: " + detail : null;
                if (!wantsRunning) {
                    yield Next.state("stopped", why);
                }
                if ("pending".equals(row.state) && inventory) {
                    yield Next.NOTHING;
                }
                yield new Next("stopped", why != null ? why : "pending".equals(row.state)
                        ? "The instance exited right after it started" + (detail == null ? "" : ": " + detail)
                        : "Stopped outside the platform" + (detail == null ? "" : ": " + detail), "stopped", false, false);
            }
            case UNKNOWN -> Next.state(row.state, "The worker cannot tell the instance's state: " + detail);
        };
    }

    private static Next failed(InstanceEntity row, WorkerReport.InstanceReport seen, boolean everRan) {
        if ("pending".equals(row.state) && !everRan) {
            // A launch that failed ends the instance, with the reason, and the worker cleans up what is left.
            return new Next("shutting-down", "Launch failed: " + seen.error(), "terminated", false, true);
        }
        if ("pending".equals(row.state)) {
            return new Next("stopped", "Start failed: " + seen.error(), "stopped", false, false);
        }
        return Next.state(row.state, "The worker reported: " + seen.error());
    }

    private static Next absent(InstanceEntity row) {
        if ("running".equals(row.desiredState) && "running".equals(row.state)) {
            return new Next("pending", "Re-created: the instance had disappeared from its worker", null, false, true);
        }
        if ("stopped".equals(row.desiredState) && "stopping".equals(row.state)) {
            return Next.state("stopped", null);
        }
        return Next.NOTHING;
    }
}
