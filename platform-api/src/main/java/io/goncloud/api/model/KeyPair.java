package io.goncloud.api.model;

import java.time.Instant;

/**
 * An SSH public key instances can be launched with.
 *
 * @param fingerprint OpenSSH's SHA-256 fingerprint of the public key ({@code SHA256:...})
 * @param privateKey  the private key (PEM) when the platform generated the pair, returned by the create
 *                    call only and never stored; {@code null} everywhere else
 */
public record KeyPair(String id, String name, String fingerprint, String publicKey, String privateKey,
                      Instant createdAt) {

    public KeyPair withoutPrivateKey() {
        return new KeyPair(id, name, fingerprint, publicKey, null, createdAt);
    }
}
