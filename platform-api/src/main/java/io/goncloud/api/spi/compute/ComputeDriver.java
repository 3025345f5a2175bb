package io.goncloud.api.spi.compute;

import io.goncloud.api.spi.Driver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs instances on the local host: containers, virtual machines, or anything else that boots an
 * image. Capabilities name the image formats the driver boots ({@code image-format:docker-rootfs},
 * {@code image-format:qcow2}); the scheduler only sends a driver instances whose image it can boot.
 *
 * <p>Instances are identified by the platform's instance id; the driver names its host objects from
 * it (with the {@code gcp} prefix) so that it can find them again after any restart. The driver does
 * not plumb networking itself: it creates the instance with the network endpoint the network driver
 * prepared ({@link InstanceSpec#nics()}) and reports where the instance's network namespace or tap
 * device is, through {@link InstanceStatus}.
 */
public interface ComputeDriver extends Driver {

    /** Capability prefix for bootable image formats. */
    String IMAGE_FORMAT = "image-format:";

    /**
     * A head start on {@link #launch}, called while the network driver is still preparing the instance's
     * ports (so no NIC's host device may exist yet): whatever needs no network, such as creating the
     * container or the domain, its disks and its configuration files. It may start the instance only if the
     * instance can take its NICs later (a container, whose network namespace stays empty until then); a
     * virtual machine, whose NICs must exist when it boots, must not. Idempotent; {@link #launch} must work
     * whether or not this ran, and a failure here is reported by the launch that follows. Default: nothing.
     */
    default void prepare(InstanceSpec spec) {
    }

    /**
     * Creates the instance if it does not exist, and starts it. Idempotent: if an instance with this
     * id already exists it is left as is (and started if stopped). On failure, everything this call
     * created is removed before the exception is thrown.
     */
    InstanceStatus launch(InstanceSpec spec);

    /**
     * Starts a stopped instance. Starting a running instance does nothing. The spec is given again
     * because a start may need to re-attach the instance's NICs (a container's network namespace does
     * not survive a stop).
     */
    InstanceStatus start(InstanceSpec spec);

    /**
     * Stops the instance: a graceful shutdown, and a forced one if it has not stopped within {@code grace}.
     * Stopping a stopped instance does nothing. The instance's disk and identity survive.
     */
    InstanceStatus stop(String instanceId, Duration grace);

    /** Restarts the instance in place, re-attaching its NICs as {@link #start} does. */
    InstanceStatus reboot(InstanceSpec spec, Duration grace);

    /**
     * Removes the instance and everything the driver made for it (never the image). Destroying an
     * instance that does not exist succeeds.
     */
    void destroy(String instanceId);

    /** The instance's actual state on this host, or empty if this driver has no such instance. */
    Optional<InstanceStatus> inspect(String instanceId);

    /**
     * Every instance this driver manages on this host, including ones the platform may have forgotten:
     * reconciliation compares this with the database to remove orphans and report the missing.
     */
    List<InstanceStatus> list();

    /** The last {@code maxBytes} of the instance's console output (serial console or container log). */
    String consoleOutput(String instanceId, int maxBytes);
}
