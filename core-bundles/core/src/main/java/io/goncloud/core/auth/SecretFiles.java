package io.goncloud.core.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets the platform generates for itself, kept in files only their owner can read. */
final class SecretFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** A random URL-safe secret of {@code bytes} bytes of entropy. */
    static String randomSecret(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Reads the secret in {@code file}, creating it with a new random secret the first time. */
    static String readOrCreate(Path file, int bytes) {
        try {
            if (!Files.exists(file)) {
                write(file, randomSecret(bytes));
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (FileAlreadyExistsException e) {
            return readOrCreate(file, bytes); // another process created it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** Writes a new secret file, readable and writable by its owner only; fails if it exists. */
    static void write(Path file, String secret) throws IOException {
        Files.createDirectories(file.getParent());
        Path created = Files.createFile(file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(created, secret + "\n", StandardCharsets.UTF_8);
    }
}
