package io.goncloud.api.cluster;

import io.goncloud.api.spi.compute.InstanceStatus;

import java.time.Instant;
import java.util.List;

/**
 * What a worker tells the controller: a heartbeat with its capacity and, either the outcome of tasks, or
 * (when {@code inventory}) every instance its compute drivers manage, so the controller can find the missing
 * and the orphaned.
 *
 * @param hostId       the worker's stable id (its host name unless configured)
 * @param address      where it can be reached (informational)
 * @param capacity     what it offers to instances
 * @param capabilities what its drivers can do, e.g. {@code compute:docker}, {@code image-format:docker-rootfs}
 * @param instances    instance reports
 * @param inventory    whether {@code instances} lists everything on the host
 * @param underlayAddress the worker's IPv4 address on the underlay, where other hosts' tunnels to its segments end;
 *                     {@code null} when it has none (a single host; older workers)
 */
public record WorkerReport(String hostId, String address, Capacity capacity, List<String> capabilities,
                           List<InstanceReport> instances, boolean inventory, Instant sentAt,
                           String underlayAddress) {

    public WorkerReport {
        capabilities = List.copyOf(capabilities);
        instances = List.copyOf(instances);
    }

    /** A report of a worker without an underlay address. */
    public WorkerReport(String hostId, String address, Capacity capacity, List<String> capabilities,
                        List<InstanceReport> instances, boolean inventory, Instant sentAt) {
        this(hostId, address, capacity, capabilities, instances, inventory, sentAt, null);
    }

    /** @param vcpus cores times the operator's allocation ratio */
    public record Capacity(int vcpus, int memoryMiB, int diskGiB) {
    }

    /**
     * One instance's actual state.
     *
     * @param status {@code null} when the host has no such instance (e.g. after a terminate)
     * @param taskId the task this report answers, or {@code null} for inventory
     * @param error  why the task failed, in operator words, or {@code null}
     * @param consoleOutput set (possibly empty) only in the answer to a {@link WorkerTask.Action#CONSOLE_OUTPUT}
     *               task: the tail of the instance's console, at most {@link WorkerTask#CONSOLE_OUTPUT_MAX_BYTES}
     *               bytes. Such a report is a reply to a request, not an observation: the controller does not
     *               move the instance on it. {@code null} in every other report (and from older workers).
     */
    public record InstanceReport(String instanceId, InstanceStatus status, String taskId, String error,
                                 String consoleOutput) {

        /** A report about the instance's state (no console output). */
        public InstanceReport(String instanceId, InstanceStatus status, String taskId, String error) {
            this(instanceId, status, taskId, error, null);
        }
    }
}
