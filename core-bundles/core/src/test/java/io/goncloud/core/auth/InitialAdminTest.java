package io.goncloud.core.auth;

import io.goncloud.api.model.Role;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.MutableClock;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first administrator, created when the platform starts without one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitialAdminTest {

    private TestDatabase testDb;
    private Database db;
    private AuthServiceImpl auth;

    @BeforeAll
    void startDatabase() {
        testDb = TestDatabase.create(TestDatabase.Kind.H2);
        db = testDb.database();
        auth = new AuthServiceImpl(db, AuthServiceContract.SECRET, Duration.ofMinutes(15), Duration.ofDays(1), 4,
                MutableClock.atCurrentSecond());
    }

    @AfterAll
    void dropDatabase() {
        if (testDb != null) {
            testDb.close();
        }
    }

    @BeforeEach
    void noAdministrator() {
        db.run(em -> em.createNativeQuery("DELETE FROM users").executeUpdate());
    }

    private List<String> adminEmails() {
        return db.inTransaction(em -> em.createQuery(
                "SELECT u.email FROM UserEntity u WHERE u.role = 'admin'", String.class).getResultList());
    }

    @Test
    void aConfiguredPasswordIsUsedAndNoFileIsWritten(@TempDir Path dataDir) throws IOException {
        AuthComponent.InitialAdmin.ensure(db, auth, "Admin@GCP.local", "configured-password", dataDir);
        assertEquals(List.of("admin@gcp.local"), adminEmails());
        assertEquals(Role.ADMIN, auth.authenticate(auth.login("admin@gcp.local", "configured-password").accessToken())
                .role());
        try (var files = Files.list(dataDir)) {
            assertEquals(0, files.count(), "nothing to hand over when the password was configured");
        }
    }

    @Test
    void anExistingAdministratorIsLeftAlone(@TempDir Path dataDir) {
        AuthComponent.InitialAdmin.ensure(db, auth, "admin@gcp.local", "first-password", dataDir);
        AuthComponent.InitialAdmin.ensure(db, auth, "admin@gcp.local", "second-password", dataDir);
        AuthComponent.InitialAdmin.ensure(db, auth, "other-admin@gcp.local", "", dataDir);
        assertEquals(List.of("admin@gcp.local"), adminEmails());
        assertEquals("Bearer", auth.login("admin@gcp.local", "first-password").tokenType());
        assertEquals("InvalidCredentials", assertThrows(io.goncloud.api.error.GcpException.class,
                () -> auth.login("admin@gcp.local", "second-password")).code());
        assertFalse(Files.exists(dataDir.resolve("initial-admin-password")));
    }

    @Test
    void aGeneratedPasswordIsHandedOverInAFileOnlyTheOwnerCanRead(@TempDir Path dataDir) throws IOException {
        Path gcp = dataDir.resolve("gcp");
        AuthComponent.InitialAdmin.ensure(db, auth, "admin@gcp.local", "  ", gcp);
        Path file = gcp.resolve("initial-admin-password");
        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertTrue(password.length() >= 20, "a generated password should be long: " + password.length());
        assertEquals(Role.ADMIN, auth.authenticate(auth.login("admin@gcp.local", password).accessToken()).role());
        String storedHash = db.inTransaction(em -> (String) em.createNativeQuery(
                "SELECT password FROM users WHERE email = 'admin@gcp.local'").getSingleResult());
        assertFalse(storedHash.contains(password));
    }

    @Test
    void aUserAccountDoesNotCountAsAnAdministrator(@TempDir Path dataDir) {
        auth.register("tenant", "tenant@example.test", "tenant-password");
        AuthComponent.InitialAdmin.ensure(db, auth, "admin@gcp.local", "configured-password", dataDir);
        assertEquals(List.of("admin@gcp.local"), adminEmails());
    }
}
