package io.goncloud.core.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/** bcrypt password hashing. Only the hash is ever stored. */
final class PasswordHasher {

    /** bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused. */
    static final int MAX_PASSWORD_BYTES = 72;

    private final int cost;
    /** A hash to check against when the user does not exist, so both cases take the same time. */
    private final byte[] decoyHash;

    PasswordHasher(int cost) {
        this.cost = cost;
        this.decoyHash = BCrypt.withDefaults().hash(cost, "decoy-password".getBytes(StandardCharsets.UTF_8));
    }

    String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    boolean matches(String password, String hash) {
        byte[] candidate = password.getBytes(StandardCharsets.UTF_8);
        if (candidate.length > MAX_PASSWORD_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(candidate, hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time of a real check, for logins naming an unknown email. */
    void burnTime(String password) {
        BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), decoyHash);
    }
}
