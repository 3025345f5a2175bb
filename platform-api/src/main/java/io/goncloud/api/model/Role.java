package io.goncloud.api.model;

import java.util.Locale;

/** What a user may do: tenants are {@code user}s, operators are {@code admin}s. */
public enum Role {
    ADMIN, USER;

    /** The lower-case name stored in the database and shown in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
