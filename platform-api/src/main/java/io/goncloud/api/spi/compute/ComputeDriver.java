package io.goncloud.api.spi.compute;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.storage.AttachHandle;

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
     * Capability: {@link #attachVolume} mounts a volume's file system at a path inside a running instance (a
     * container); it wants {@link AttachHandle.Consumer#CONTAINER} handles.
     */
    String VOLUMES_AS_FILE_SYSTEMS = "volumes:file-system";

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

    /**
     * Makes a volume reachable inside the instance at {@code target}, live; idempotent (an instance that already
     * has it there is left as it is), so that it can be asked again after the instance restarted. A stopped
     * instance is not an error: nothing is done, and the next call after its start attaches it. Drivers that
     * declare {@link #VOLUMES_AS_FILE_SYSTEMS} mount the volume's file system at the absolute path {@code target}
     * (making an ext4 file system on a blank volume first). Default: refused.
     *
     * @param handle from the storage driver's {@code openAttachment}, of the kind the driver's capability asks for
     */
    default void attachVolume(String instanceId, AttachHandle handle, String target) {
        throw new DriverException("compute driver " + info().name() + " cannot attach volumes");
    }

    /**
     * Takes the volume at {@code target} out of the instance (unmounts it), so that the storage driver can close
     * the handle. Detaching what is not attached, or from an instance that is stopped or gone, succeeds.
     */
    default void detachVolume(String instanceId, String volumeId, String target) {
        throw new DriverException("compute driver " + info().name() + " cannot detach volumes");
    }
}
