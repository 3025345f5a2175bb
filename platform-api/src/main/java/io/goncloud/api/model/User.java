package io.goncloud.api.model;

import java.time.Instant;

/** A platform account. Never carries the password or any token. */
public record User(String id, String username, String email, String role, boolean isActive,
                   Instant createdAt, Instant updatedAt) {
}
