package io.goncloud.core.auth;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.User;
import io.goncloud.api.service.AuthService.TokenPair;
import io.goncloud.api.service.Caller;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.testing.MutableClock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Password guessing slowed down, deactivation that takes effect at once, and logout, against a real database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccountProtectionContract {

    private static final String PASSWORD = "correct horse battery";
    private static final LoginThrottle.Limits LIMITS = new LoginThrottle.Limits(3, 6, Duration.ofMinutes(15),
            Duration.ofMinutes(5));

    private TestDatabase testDb;
    private Database db;
    private MutableClock clock;
    private AuthServiceImpl auth;
    private UserServiceImpl users;
    private Caller admin;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void startDatabase() {
        testDb = TestDatabase.create(kind());
        db = testDb.database();
    }

    @AfterAll
    void dropDatabase() {
        if (testDb != null) {
            testDb.close();
        }
    }

    @BeforeEach
    void newService() {
        clock = MutableClock.atCurrentSecond();
        auth = new AuthServiceImpl(db, AuthServiceContract.SECRET, Duration.ofMinutes(15), Duration.ofDays(7), 4, clock,
                LIMITS);
        users = new UserServiceImpl(db);
        User root = auth.createUser("root", "root-" + UUID.randomUUID() + "@example.test", PASSWORD, Role.ADMIN);
        admin = Caller.user(root.id(), Role.ADMIN);
    }

    private String newEmail() {
        String email = "user-" + UUID.randomUUID() + "@example.test";
        auth.register("user", email, PASSWORD);
        return email;
    }

    private static GcpException failure(Executable call) {
        return assertThrows(GcpException.class, call);
    }

    @Test
    void repeatedFailuresLockTheAccountEvenForTheRightPasswordUntilTheLockoutEnds() {
        String email = newEmail();
        for (int i = 0; i < 3; i++) {
            assertEquals("InvalidCredentials", failure(() -> auth.login(email, "wrong-guess", "192.0.2.10")).code());
        }
        GcpException locked = failure(() -> auth.login(email, PASSWORD, "192.0.2.11"));
        assertEquals("RequestLimitExceeded", locked.code());
        assertEquals(429, locked.httpStatus());
        assertEquals(300, locked.retryAfterSeconds(), "five minutes after the last failure");
        assertTrue(locked.getMessage().contains("try again in 300 s"), locked.getMessage());

        clock.advance(Duration.ofSeconds(299));
        assertEquals(1, failure(() -> auth.login(email, PASSWORD, null)).retryAfterSeconds());
        clock.advance(Duration.ofSeconds(1));
        TokenPair pair = auth.login(email, PASSWORD, "192.0.2.11");
        assertFalse(pair.accessToken().isBlank());
    }

    @Test
    void aSuccessForgetsTheAccountsFailures() {
        String email = newEmail();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2; i++) {
                assertEquals("InvalidCredentials", failure(() -> auth.login(email, "wrong-guess", null)).code());
            }
            auth.login(email, PASSWORD, null); // a typo or two, then the right password: never locked
        }
    }

    @Test
    void oneAddressGuessingManyAccountsIsStoppedThereOnly() {
        for (int i = 0; i < 6; i++) {
            String victim = newEmail();
            assertEquals("InvalidCredentials", failure(() -> auth.login(victim, "wrong-guess", "198.51.100.7")).code());
        }
        String bystander = newEmail();
        assertEquals("RequestLimitExceeded", failure(() -> auth.login(bystander, PASSWORD, "198.51.100.7")).code());
        auth.login(bystander, PASSWORD, "198.51.100.8"); // from elsewhere: fine
        // Unknown accounts count too: guessing names does not get around the address's limit.
        String nobody = "no-such-" + UUID.randomUUID() + "@example.test";
        assertEquals("RequestLimitExceeded", failure(() -> auth.login(nobody, "x", "198.51.100.7")).code());
    }

    @Test
    void aDeactivatedUsersTokensStopAtOnceAndItCannotLogIn() {
        String email = newEmail();
        TokenPair pair = auth.login(email, PASSWORD);
        Caller user = auth.authenticate(pair.accessToken());

        User deactivated = users.setActive(admin, user.userId(), false);
        assertFalse(deactivated.isActive());
        assertEquals("AuthFailure", failure(() -> auth.authenticate(pair.accessToken())).code(),
                "the access token, still unexpired, stops working");
        assertEquals("InvalidRefreshToken", failure(() -> auth.refresh(pair.refreshToken())).code());
        assertEquals("InvalidCredentials", failure(() -> auth.login(email, PASSWORD)).code());

        assertTrue(users.setActive(admin, user.userId(), true).isActive());
        assertEquals("InvalidRefreshToken", failure(() -> auth.refresh(pair.refreshToken())).code(),
                "sessions revoked at deactivation stay revoked");
        auth.authenticate(auth.login(email, PASSWORD).accessToken());

        assertEquals("UnauthorizedOperation", failure(() -> users.setActive(user, admin.userId(), false)).code());
        assertEquals("InvalidUserID.NotFound",
                failure(() -> users.setActive(admin, UUID.randomUUID().toString(), false)).code());
        assertEquals("InvalidUserID.Malformed", failure(() -> users.setActive(admin, "not-an-id", false)).code());
        assertEquals("InvalidParameterValue", failure(() -> users.setActive(admin, admin.userId(), false)).code());
    }

    @Test
    void logoutRevokesTheWholeChain() {
        String email = newEmail();
        TokenPair first = auth.login(email, PASSWORD);
        TokenPair second = auth.refresh(first.refreshToken());
        TokenPair other = auth.login(email, PASSWORD); // another session of the same user

        auth.logout(first.refreshToken()); // an already used token of the chain ends it too
        assertEquals("InvalidRefreshToken", failure(() -> auth.refresh(second.refreshToken())).code());
        auth.refresh(other.refreshToken()); // the other session goes on
        auth.logout("never-issued"); // nothing to end: fine
        assertEquals("MissingParameter", failure(() -> auth.logout(" ")).code());
    }
}
