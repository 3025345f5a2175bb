package io.goncloud.api.spi.compute;

/**
 * An instance's actual state as the driver sees it on the host.
 *
 * @param instanceId the platform's id
 * @param power      whether it runs
 * @param detail     a short human-readable explanation (e.g. an exit reason), or {@code null}
 */
public record InstanceStatus(String instanceId, PowerState power, String detail) {

    /** The host-level states a driver can observe. The platform maps them onto the EC2 life cycle. */
    public enum PowerState {
        RUNNING, STOPPED, CRASHED, UNKNOWN
    }
}
