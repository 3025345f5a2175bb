package io.goncloud.api.service;

import io.goncloud.api.model.Instance;
import io.goncloud.api.model.InstanceEvent;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

import java.util.List;
import java.util.Map;

/**
 * Instances with the EC2 life cycle. Calls record the desired state and return at once; workers carry it
 * out and the instance's {@code state} follows (pending -> running, stopping -> stopped,
 * shutting-down -> terminated). All methods are scoped to the caller.
 */
public interface InstanceService {

    /**
     * @param vpcId only instances in this VPC, or all when {@code null}
     * @param state only instances in this state (e.g. {@code running}), or all when {@code null}
     */
    Page<Instance> list(Caller caller, String vpcId, String state, PageRequest page);

    /**
     * Validates the request, places the instance on a worker with room for its type, allocates its private
     * address (and a public one when its subnet maps one) and records it as {@code pending}. Nothing is
     * written when any of that fails ({@code InsufficientInstanceCapacity} when no worker has room).
     */
    Instance launch(Caller caller, LaunchInstance request);

    Instance get(Caller caller, String instanceId);

    /**
     * The caller's instances that changed (state, addresses, name, tags) after {@code since}, in the order of their
     * last change, at most {@code limit}: what a live view needs to catch up after a change notification.
     */
    List<Instance> changedSince(Caller caller, java.time.Instant since, int limit);

    /** The instance's state changes, oldest first (they go with the instance when it is forgotten). */
    List<InstanceEvent> history(Caller caller, String instanceId);

    /** Renames, retags or changes the security groups of an instance; group changes apply to it live. */
    Instance update(Caller caller, String instanceId, UpdateInstance request);

    Instance start(Caller caller, String instanceId);

    Instance stop(Caller caller, String instanceId);

    Instance reboot(Caller caller, String instanceId);

    /**
     * The tail of the instance's console, at most 64 KiB, read from its worker now: the call waits a few seconds
     * for the worker's answer and fails with {@code ServiceUnavailable} (503) when none comes. An instance that is
     * terminated or was never placed on a worker has an empty output.
     */
    io.goncloud.api.model.ConsoleOutput consoleOutput(Caller caller, String instanceId);

    /** Terminates the instance; it stays listed as {@code terminated} for a while, then disappears. */
    Instance terminate(Caller caller, String instanceId);

    /**
     * @param securityGroupIds groups in the subnet's VPC; the VPC's default group when empty
     * @param keyName          one of the caller's key pairs, or {@code null}
     * @param userData         passed to the instance as is (at most 16 KiB), or {@code null}
     */
    record LaunchInstance(String name, String instanceType, String imageId, String subnetId,
                          List<String> securityGroupIds, String keyName, String userData, Map<String, String> tags) {
    }

    /** Fields left {@code null} are left unchanged; {@code tags} replaces all tags. */
    record UpdateInstance(String name, List<String> securityGroupIds, Map<String, String> tags) {
    }
}
