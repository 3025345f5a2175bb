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

    TokenPair login(String email, String password);

    TokenPair refresh(String refreshToken);

    /** Validates an access token and says who it belongs to; fails with {@code AuthFailure}. */
    Caller authenticate(String accessToken);

    /**
     * A fresh access and refresh token.
     *
     * @param expiresIn seconds until the access token expires
     */
    record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }
}
