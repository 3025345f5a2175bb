package io.goncloud.core.compute;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.KeyPair;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.service.Caller;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Key pairs on H2 (their SQL is plain; the instance contract covers PostgreSQL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyPairServiceTest {

    private static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";

    private ComputeFixture f;

    @BeforeAll
    void start() {
        f = new ComputeFixture(TestDatabase.Kind.H2, "198.19.1.0/24");
    }

    @AfterAll
    void stop() {
        f.close();
    }

    private static String code(Runnable call) {
        return assertThrows(GcpException.class, call::run).code();
    }

    @Test
    void aCreatedPairIsUsableByOpenSshAndItsPrivateKeyIsNotKept(@TempDir Path dir) throws Exception {
        Caller alice = f.tenant("alice");
        KeyPair created = f.keys.create(alice, "deploy");
        assertTrue(created.privateKey().startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(created.publicKey().startsWith("ssh-rsa "));
        assertNull(f.keys.get(alice, created.id()).privateKey());
        assertNull(f.keys.list(alice, PageRequest.first()).items().get(0).privateKey());

        Path ssh = Path.of("/usr/bin/ssh-keygen");
        assumeTrue(Files.isExecutable(ssh), "ssh-keygen (openssh-client) checks the key; the test command installs it");
        Path key = dir.resolve("deploy.pem");
        Files.writeString(key, created.privateKey());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertEquals(created.publicKey(), run(ssh.toString(), "-y", "-f", key.toString()),
                "OpenSSH derives the same public key from the private key we returned");
        Path pub = dir.resolve("deploy.pub");
        Files.writeString(pub, created.publicKey() + "\n");
        assertTrue(run(ssh.toString(), "-l", "-E", "sha256", "-f", pub.toString()).contains(created.fingerprint()),
                "the fingerprint is OpenSSH's");
    }

    @Test
    void importedKeysAreCheckedAndNamesAreUniquePerUser() {
        Caller alice = f.tenant("alice");
        Caller bob = f.tenant("bob");
        KeyPair imported = f.keys.importKey(alice, "laptop", ED25519);
        assertEquals(ED25519.substring(0, ED25519.lastIndexOf(' ')), imported.publicKey(), "the comment is dropped");
        assertTrue(imported.fingerprint().startsWith("SHA256:"));
        assertEquals("InvalidKeyPair.Duplicate", code(() -> f.keys.importKey(alice, "laptop", ED25519)));
        assertEquals("laptop", f.keys.importKey(bob, "laptop", ED25519).name(), "another user may use the name");
        assertEquals("InvalidKeyPair.Format", code(() -> f.keys.importKey(alice, "x", "ssh-rsa notbase64!")));
        assertEquals("InvalidKeyPair.Format", code(() -> f.keys.importKey(alice, "x", "ssh-dss AAAAB3NzaC1kc3M=")));
        assertEquals("InvalidKeyPair.Format", code(() -> f.keys.importKey(alice, "x",
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")), "type mismatch");
        assertEquals("MissingParameter", code(() -> f.keys.importKey(alice, " ", ED25519)));
        assertEquals("InvalidKeyPair.NotFound", code(() -> f.keys.get(bob, imported.id())));
        assertEquals("InvalidKeyPair.NotFound", code(() -> f.keys.delete(bob, imported.id())));
        f.keys.delete(alice, imported.id());
        assertEquals("InvalidKeyPair.NotFound", code(() -> f.keys.get(alice, imported.id())));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
