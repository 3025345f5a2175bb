package io.goncloud.driver.compute.common;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;

import java.util.Locale;
import java.util.regex.Pattern;

/** The host name an instance's guest gets, the same whichever compute driver runs it. */
public final class GuestHostnames {

    /** Spec label giving the guest's hostname; without it the hostname is the instance id. */
    public static final String LABEL = "hostname";
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,63}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private GuestHostnames() {
    }

    /** The {@value #LABEL} label, or the instance id (lower case, at most 63 characters). */
    public static String of(InstanceSpec spec) {
        String label = spec.labels().get(LABEL);
        if (label != null) {
            if (!HOSTNAME.matcher(label).matches()) {
                throw new DriverException("Instance " + spec.instanceId() + ": label hostname='" + label
                        + "' is not a valid host name (letters, digits, '-', dots between labels, at most 63)");
            }
            return label;
        }
        String fromId = spec.instanceId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        fromId = fromId.length() > 63 ? fromId.substring(0, 63) : fromId;
        fromId = fromId.replaceAll("^-+|-+$", "");
        return fromId.isEmpty() ? "instance" : fromId;
    }
}
