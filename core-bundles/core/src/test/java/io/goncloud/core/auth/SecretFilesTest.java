package io.goncloud.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretFilesTest {

    @Test
    void aSecretIsCreatedOnceOwnerReadableAndThenReadBack(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("nested").resolve("jwt-secret");
        String secret = SecretFiles.readOrCreate(file, 48);
        assertEquals(64, secret.length(), "48 random bytes in unpadded base64url");
        assertEquals(48, Base64.getUrlDecoder().decode(secret).length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(secret, SecretFiles.readOrCreate(file, 48), "a restart must keep the same secret");
    }

    @Test
    void anExistingSecretIsNeverOverwritten(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret");
        Files.writeString(file, "  operator-provided-secret-value-of-some-length \n");
        assertEquals("operator-provided-secret-value-of-some-length", SecretFiles.readOrCreate(file, 48));
        assertThrows(FileAlreadyExistsException.class, () -> SecretFiles.write(file, "replacement"));
    }

    @Test
    void randomSecretsDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(SecretFiles.randomSecret(18));
        }
        assertEquals(50, seen.size());
        assertEquals(24, SecretFiles.randomSecret(18).length());
    }
}
