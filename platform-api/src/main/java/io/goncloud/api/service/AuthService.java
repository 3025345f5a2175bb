package io.goncloud.api.service;

import io.goncloud.api.model.User;

/**
 * Accounts and tokens. Passwords are stored only as slow salted hashes; access tokens are signed and
 * short-lived; a refresh token works exactly once (using it returns a new pair), and presenting a
 * refresh token that was already used revokes the whole chain it belongs to.
 */
public interface AuthService {

    /** Creates a tenant account ({@code user} role). Fails with {@code InvalidUser.Duplicate} if the email is taken. */
    User register(String username, String email, String password);

    /** A login from an unknown address (tools, tests); see {@link #login(String, String, String)}. */
    default TokenPair login(String email, String password) {
        return login(email, password, null);
    }

    /**
     * Checks the password and starts a session. Repeated failures for one account, or from one address, make
     * further attempts fail with {@code RequestLimitExceeded} (429, with the seconds to wait) for a while, even
     * with the right password.
     *
     * @param sourceAddress the client's address, or null when unknown
     */
    TokenPair login(String email, String password, String sourceAddress);

    /** Ends the session the refresh token belongs to: its whole chain is revoked. Unknown tokens are ignored. */
    void logout(String refreshToken);

    TokenPair refresh(String refreshToken);

    /**
     * Validates an access token and says who it belongs to; fails with {@code AuthFailure}, also for the token of
     * a user deactivated since it was issued.
     */
    Caller authenticate(String accessToken);

    /**
     * A fresh access and refresh token.
     *
     * @param expiresIn seconds until the access token expires
     */
    record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }
}
