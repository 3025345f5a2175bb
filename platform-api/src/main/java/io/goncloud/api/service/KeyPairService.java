package io.goncloud.api.service;

import io.goncloud.api.model.KeyPair;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

/** SSH key pairs, by name per user ({@code InvalidKeyPair.Duplicate} on a taken name). Scoped to the caller. */
public interface KeyPairService {

    Page<KeyPair> list(Caller caller, PageRequest page);

    /** Generates a pair; the result carries the private key, which the platform does not keep. */
    KeyPair create(Caller caller, String name);

    /** Registers the caller's own public key (OpenSSH one-line format: ssh-ed25519, ssh-rsa, ecdsa-sha2-*). */
    KeyPair importKey(Caller caller, String name, String publicKey);

    KeyPair get(Caller caller, String keyPairId);

    /** Instances already launched with the key keep it. */
    void delete(Caller caller, String keyPairId);

    /** @param publicKey to import; a new pair is generated when {@code null} */
    record CreateKeyPair(String name, String publicKey) {
    }
}
