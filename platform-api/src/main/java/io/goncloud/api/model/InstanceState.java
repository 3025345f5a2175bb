package io.goncloud.api.model;

import java.util.Locale;

/** The EC2 instance life cycle. {@link #value()} is the wire and database spelling. */
public enum InstanceState {
    PENDING, RUNNING, STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED;

    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static InstanceState of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** States that are on their way somewhere: the platform keeps working on them until they settle. */
    public boolean transitional() {
        return this == PENDING || this == STOPPING || this == SHUTTING_DOWN;
    }
}
