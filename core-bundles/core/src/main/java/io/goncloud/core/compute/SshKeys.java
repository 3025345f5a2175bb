package io.goncloud.core.compute;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Set;

/**
 * OpenSSH public keys: parsing what tenants import, generating pairs, fingerprints. The wire format is
 * a few length-prefixed fields (RFC 4253 section 6.6), small enough not to need an SSH library.
 */
final class SshKeys {

    private static final Set<String> KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final int RSA_BITS = 3072;
    private static final int MIN_RSA_BITS = 2048;

    private SshKeys() {
    }

    /** A public key in one-line form ({@code type base64}), its comment dropped. */
    record PublicKey(String type, byte[] blob) {
        String line() {
            return type + " " + Base64.getEncoder().encodeToString(blob);
        }

        /** As {@code ssh-keygen -l -E sha256} prints it. */
        String fingerprint() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A generated pair: the public key and the private key in PKCS#8 PEM, which OpenSSH reads. */
    record Generated(PublicKey publicKey, String privateKeyPem) {
    }

    /** Parses and checks an imported key; {@code InvalidKeyPair.Format} with the reason otherwise. */
    static PublicKey parse(String text) {
        if (text == null || text.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter public_key");
        }
        String[] parts = text.strip().split("\\s+");
        if (parts.length < 2 || !KEY_TYPES.contains(parts[0])) {
            throw invalid("expected an OpenSSH public key such as 'ssh-ed25519 AAAA... comment' (types: "
                    + String.join(", ", KEY_TYPES.stream().sorted().toList()) + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid("the key data is not valid base64");
        }
        ByteBuffer wire = ByteBuffer.wrap(blob);
        String embeddedType = new String(field(wire), StandardCharsets.US_ASCII);
        if (!embeddedType.equals(parts[0])) {
            throw invalid("the key data is of type '" + embeddedType + "', not '" + parts[0] + "'");
        }
        if (parts[0].equals("ssh-rsa")) {
            field(wire); // exponent
            int bits = new BigInteger(field(wire)).bitLength();
            if (bits < MIN_RSA_BITS) {
                throw invalid("RSA keys must have at least " + MIN_RSA_BITS + " bits, this one has " + bits);
            }
        } else if (parts[0].equals("ssh-ed25519") && field(wire).length != 32) {
            throw invalid("an Ed25519 key is 32 bytes long");
        }
        return new PublicKey(parts[0], blob);
    }

    static Generated generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            java.security.KeyPair pair = generator.generateKeyPair();
            RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            writeField(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            writeField(out, rsa.getPublicExponent().toByteArray());
            writeField(out, rsa.getModulus().toByteArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            return new Generated(new PublicKey("ssh-rsa", bytes.toByteArray()), pem);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not generate a key pair", e);
        }
    }

    private static byte[] field(ByteBuffer wire) {
        if (wire.remaining() < 4) {
            throw invalid("the key data is truncated");
        }
        int length = wire.getInt();
        if (length < 0 || length > wire.remaining()) {
            throw invalid("the key data is truncated");
        }
        byte[] value = new byte[length];
        wire.get(value);
        return value;
    }

    private static void writeField(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static GcpException invalid(String reason) {
        return new GcpException(ErrorCode.KEY_PAIR_FORMAT, "The public key is not valid: " + reason);
    }
}
