package io.goncloud.api.spi;

/**
 * The outcome of {@link Driver#probe()}.
 *
 * @param usable whether the driver can do its work on this host now
 * @param detail what was found, in words an operator understands (e.g. "TCG only: /dev/kvm hangs guests")
 */
public record HealthReport(boolean usable, String detail) {

    public static HealthReport ok(String detail) {
        return new HealthReport(true, detail);
    }

    public static HealthReport unusable(String detail) {
        return new HealthReport(false, detail);
    }
}
