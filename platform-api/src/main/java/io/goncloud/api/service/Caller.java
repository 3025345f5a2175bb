package io.goncloud.api.service;

import io.goncloud.api.model.Role;

/**
 * Who is asking. Every service call names its caller so that each resource stays scoped to its owner:
 * a tenant sees only what it owns, and another tenant's resource is reported as not found. The
 * {@link #operator()} caller stands for the operator at the Karaf shell and sees everything.
 *
 * @param userId the user's id; {@code null} only for the operator
 * @param role   the user's role
 */
public record Caller(String userId, Role role) {

    private static final Caller OPERATOR = new Caller(null, Role.ADMIN);

    public static Caller user(String userId, Role role) {
        if (userId == null) {
            throw new IllegalArgumentException("a user caller needs a user id");
        }
        return new Caller(userId, role);
    }

    /** The operator at the console: not scoped to any tenant. */
    public static Caller operator() {
        return OPERATOR;
    }

    public boolean isOperator() {
        return userId == null;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether this caller may see a resource owned by {@code ownerId}. */
    public boolean canSee(String ownerId) {
        return isOperator() || userId.equals(ownerId);
    }
}
