package io.goncloud.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.User;
import io.goncloud.api.service.AuthService.TokenPair;
import io.goncloud.api.service.Caller;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.MutableClock;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, login, access tokens and refresh-token rotation against a real database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthServiceContract {

    static final byte[] SECRET = "test-signing-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
    static final byte[] OTHER_SECRET = "another-signing-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    static final Duration ACCESS = Duration.ofMinutes(15);
    static final Duration REFRESH = Duration.ofDays(7);
    static final String PASSWORD = "correct horse battery";

    private TestDatabase testDb;
    private Database db;
    private MutableClock clock;
    private AuthServiceImpl auth;

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
        auth = new AuthServiceImpl(db, SECRET, ACCESS, REFRESH, 4, clock);
    }

    private static String email(String name) {
        return name + "-" + UUID.randomUUID() + "@example.test";
    }

    private User newUser(String name) {
        return auth.register(name, email(name), PASSWORD);
    }

    private static GcpException failure(Executable call) {
        return assertThrows(GcpException.class, call);
    }

    private static String code(Executable call) {
        return failure(call).code();
    }

    private long userCount() {
        return db.inTransaction(em -> ((Number) em.createNativeQuery("SELECT COUNT(*) FROM users")
                .getSingleResult()).longValue());
    }

    private String storedPassword(String email) {
        return db.inTransaction(em -> (String) em.createNativeQuery("SELECT password FROM users WHERE email = ?")
                .setParameter(1, email).getSingleResult());
    }

    // --- registration -------------------------------------------------------------------------------

    @Test
    void registerReturnsAnActiveUserWithRoleUserAndNoPassword() {
        String address = email("carol");
        User user = auth.register("carol", address, PASSWORD);
        assertEquals(UUID.fromString(user.id()).toString(), user.id());
        assertEquals("carol", user.username());
        assertEquals(address, user.email());
        assertEquals("user", user.role());
        assertTrue(user.isActive());
        assertNotNull(user.createdAt());
        assertEquals(user.createdAt(), user.updatedAt());
        for (var component : User.class.getRecordComponents()) {
            String name = component.getName().toLowerCase(Locale.ROOT);
            assertFalse(name.contains("password") || name.contains("hash") || name.contains("token"),
                    "a user must not carry secrets: " + component.getName());
        }
        assertFalse(user.toString().contains(PASSWORD));
        assertFalse(user.toString().contains("$2"), "no password hash either");
    }

    @Test
    void emailIsKeptInLowerCaseAndDuplicatesAreCaseInsensitive() {
        String address = "Mixed.Case-" + UUID.randomUUID() + "@Example.TEST";
        User user = auth.register("dave", address, PASSWORD);
        String lower = address.toLowerCase(Locale.ROOT);
        assertEquals(lower, user.email());
        long before = userCount();
        for (String again : List.of(address, lower, address.toUpperCase(Locale.ROOT), "  " + lower + " ")) {
            GcpException e = failure(() -> auth.register("dave2", again, "other-password"));
            assertEquals("InvalidUser.Duplicate", e.code(), again);
            assertEquals(409, e.httpStatus());
        }
        assertEquals(before, userCount(), "a duplicate must not be written");
        assertEquals(user.id(), auth.authenticate(auth.login(address.toUpperCase(Locale.ROOT), PASSWORD).accessToken())
                .userId(), "the first account keeps its password");
    }

    @Test
    void invalidEmailsAreRejected() {
        long before = userCount();
        for (String bad : List.of("not-an-email", "a@b", "a b@example.test", "a@@example.test", "@example.test",
                "user@", "x".repeat(250) + "@example.test")) {
            GcpException e = failure(() -> auth.register("erin", bad, PASSWORD));
            assertEquals("InvalidParameterValue", e.code(), bad);
            assertEquals(400, e.httpStatus());
        }
        assertEquals("MissingParameter", code(() -> auth.register("erin", null, PASSWORD)));
        assertEquals("MissingParameter", code(() -> auth.register("erin", "  ", PASSWORD)));
        assertEquals(before, userCount(), "rejected registrations must not be written");
    }

    @Test
    void passwordsNeedEightCharactersAndAtMost72Bytes() {
        long before = userCount();
        assertEquals("InvalidParameterValue", code(() -> auth.register("fay", email("fay"), "1234567")));
        assertEquals("MissingParameter", code(() -> auth.register("fay", email("fay"), null)));
        assertEquals("MissingParameter", code(() -> auth.register("fay", email("fay"), "")));
        GcpException tooLong = failure(() -> auth.register("fay", email("fay"), "p".repeat(73)));
        assertEquals("InvalidParameterValue", tooLong.code());
        assertTrue(tooLong.getMessage().contains("72"), tooLong.getMessage());
        // 37 characters, but 74 bytes in UTF-8: bcrypt would silently drop the end.
        assertEquals("InvalidParameterValue", code(() -> auth.register("fay", email("fay"), "é".repeat(37))));
        assertEquals(before, userCount());

        for (String ok : List.of("12345678", "p".repeat(72), "é".repeat(36))) {
            String address = email("fay");
            auth.register("fay", address, ok);
            assertEquals("Bearer", auth.login(address, ok).tokenType(), "cannot log in with " + ok);
        }
    }

    @Test
    void usernamesAreLettersDigitsDotsUnderscoresAndDashes() {
        long before = userCount();
        for (String bad : List.of("bad name", "a/b", "ünïcode", "semi;colon", "x".repeat(65))) {
            assertEquals("InvalidParameterValue", code(() -> auth.register(bad, email("gil"), PASSWORD)), bad);
        }
        assertEquals("MissingParameter", code(() -> auth.register(null, email("gil"), PASSWORD)));
        assertEquals("MissingParameter", code(() -> auth.register("   ", email("gil"), PASSWORD)));
        assertEquals(before, userCount());
        assertEquals("Gil.O_Neil-2", auth.register("Gil.O_Neil-2", email("gil"), PASSWORD).username());
        assertEquals("gil", auth.register("  gil ", email("gil"), PASSWORD).username());
        assertEquals("x".repeat(64), auth.register("x".repeat(64), email("gil"), PASSWORD).username());
    }

    @Test
    void theStoredPasswordIsASaltedBcryptHash() {
        String first = email("hal");
        String second = email("hal");
        auth.register("hal", first, PASSWORD);
        auth.register("hal", second, PASSWORD);
        String hash = storedPassword(first);
        assertTrue(hash.matches("\\$2[aby]\\$04\\$[./A-Za-z0-9]{53}"), "not a bcrypt hash of cost 4: " + hash);
        assertFalse(hash.contains(PASSWORD));
        assertNotEquals(hash, storedPassword(second), "the same password must hash differently (salt)");
    }

    // --- login and access tokens --------------------------------------------------------------------

    @Test
    void loginReturnsBearerTokensThatLastTheConfiguredTime() {
        String address = email("ivy");
        User user = auth.register("ivy", address, PASSWORD);
        TokenPair pair = auth.login(address, PASSWORD);
        assertEquals("Bearer", pair.tokenType());
        assertEquals(ACCESS.toSeconds(), pair.expiresIn());
        assertEquals(900, pair.expiresIn());
        assertFalse(pair.accessToken().isBlank());
        assertFalse(pair.refreshToken().isBlank());
        assertNotEquals(pair.accessToken(), pair.refreshToken());
        assertEquals(user.id(), auth.authenticate(auth.login("  " + address.toUpperCase(Locale.ROOT) + " ", PASSWORD)
                .accessToken()).userId(), "email case and surrounding spaces do not matter at login");
    }

    @Test
    void wrongPasswordAndUnknownEmailGiveTheSameAnswer() {
        String address = email("jay");
        auth.register("jay", address, PASSWORD);
        GcpException wrongPassword = failure(() -> auth.login(address, "wrong password"));
        GcpException unknownEmail = failure(() -> auth.login(email("nobody"), PASSWORD));
        GcpException wrongCase = failure(() -> auth.login(address, PASSWORD.toUpperCase(Locale.ROOT)));
        GcpException tooLong = failure(() -> auth.login(address, PASSWORD + "x".repeat(80)));
        for (GcpException e : List.of(wrongPassword, unknownEmail, wrongCase, tooLong)) {
            assertEquals("InvalidCredentials", e.code());
            assertEquals(401, e.httpStatus());
            assertEquals(wrongPassword.getMessage(), e.getMessage());
        }
        assertEquals("MissingParameter", code(() -> auth.login(null, PASSWORD)));
        assertEquals("MissingParameter", code(() -> auth.login(address, null)));
    }

    @Test
    void anInactiveUserCanNeitherLogInNorRefresh() {
        String address = email("kim");
        User user = auth.register("kim", address, PASSWORD);
        TokenPair pair = auth.login(address, PASSWORD);
        db.run(em -> em.createNativeQuery("UPDATE users SET is_active = FALSE WHERE id = ?")
                .setParameter(1, user.id()).executeUpdate());
        GcpException login = failure(() -> auth.login(address, PASSWORD));
        assertEquals("InvalidCredentials", login.code());
        assertEquals(failure(() -> auth.login(address, "wrong password")).getMessage(), login.getMessage(),
                "a disabled account must not be told apart from a wrong password");
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(pair.refreshToken())));
    }

    @Test
    void anAccessTokenAuthenticatesItsUserWithTheirRole() {
        String address = email("lee");
        User user = auth.register("lee", address, PASSWORD);
        assertEquals(Caller.user(user.id(), Role.USER), auth.authenticate(auth.login(address, PASSWORD).accessToken()));

        String adminAddress = email("root");
        User admin = auth.createUser("root", adminAddress, PASSWORD, Role.ADMIN);
        assertEquals("admin", admin.role());
        Caller caller = auth.authenticate(auth.login(adminAddress, PASSWORD).accessToken());
        assertEquals(Caller.user(admin.id(), Role.ADMIN), caller);
        assertTrue(caller.isAdmin());
        assertFalse(caller.isOperator());
    }

    @Test
    void aTamperedAccessTokenIsRejected() {
        String address = email("max");
        newUserWith("max", address);
        String token = auth.login(address, PASSWORD).accessToken();
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);

        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String escalated = payload.replace("\"role\":\"user\"", "\"role\":\"admin\"");
        assertNotEquals(payload, escalated, "the token should carry the role: " + payload);
        String forged = parts[0] + "." + base64(escalated) + "." + parts[2];
        assertAuthFailure(forged);

        char[] signature = parts[2].toCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        assertAuthFailure(parts[0] + "." + parts[1] + "." + new String(signature));
        assertAuthFailure(parts[0] + "." + parts[1] + ".");
        assertAuthFailure(parts[0] + "." + parts[1]);
        assertAuthFailure(token.substring(0, token.length() - 5));
        assertAuthFailure(token + "x");
        for (String junk : Arrays.asList(null, "", "   ", "garbage", "a.b.c", "Bearer " + token)) {
            assertAuthFailure(junk);
        }
        assertNotNull(auth.authenticate(token), "the untouched token still works");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRejected() throws JOSEException {
        String address = email("ned");
        User user = newUserWith("ned", address);
        AuthServiceImpl otherPlatform = new AuthServiceImpl(db, OTHER_SECRET, ACCESS, REFRESH, 4, clock);
        String foreign = otherPlatform.login(address, PASSWORD).accessToken();
        assertEquals(user.id(), otherPlatform.authenticate(foreign).userId());
        assertAuthFailure(foreign);

        JWTClaimsSet claims = claims(user.id(), "admin").build();
        assertAuthFailure(sign(claims, OTHER_SECRET));
        // The same forgery with the real secret is accepted: the rejection above is the key's doing.
        assertEquals(Caller.user(user.id(), Role.ADMIN), auth.authenticate(sign(claims, SECRET)));
    }

    @Test
    void tokensThisPlatformDidNotIssueAreRejectedEvenWhenSignedWithItsSecret() throws JOSEException {
        String id = UUID.randomUUID().toString();
        assertAuthFailure(sign(claims(id, "user").issuer("someone-else").build(), SECRET));
        assertAuthFailure(sign(claims(id, "user").expirationTime(null).build(), SECRET));
        assertAuthFailure(sign(claims(null, "user").build(), SECRET));
        assertAuthFailure(sign(claims(id, "root").build(), SECRET));
        assertAuthFailure(sign(claims(id, null).build(), SECRET));
    }

    @Test
    void anUnsignedAlgNoneTokenIsRejected() {
        String id = newUser("oli").id();
        long exp = clock.instant().plus(ACCESS).getEpochSecond();
        String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String body = base64("{\"iss\":\"" + AccessTokens.ISSUER + "\",\"sub\":\"" + id + "\",\"role\":\"admin\",\"exp\":"
                + exp + "}");
        assertAuthFailure(header + "." + body + ".");
        assertAuthFailure(header + "." + body);
        String real = auth.login(storedEmail(id), PASSWORD).accessToken();
        assertAuthFailure(header + "." + body + "." + real.split("\\.")[2]);
    }

    @Test
    void anAccessTokenExpiresAfterTheConfiguredLifetime() {
        String address = email("pam");
        User user = newUserWith("pam", address);
        String token = auth.login(address, PASSWORD).accessToken();
        clock.advance(ACCESS.minusSeconds(1));
        assertEquals(user.id(), auth.authenticate(token).userId());
        clock.advance(Duration.ofSeconds(1));
        GcpException e = failure(() -> auth.authenticate(token));
        assertEquals("AuthFailure", e.code());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertEquals(user.id(), auth.authenticate(auth.login(address, PASSWORD).accessToken()).userId(),
                "a new login gives a fresh token");
    }

    // --- refresh tokens -----------------------------------------------------------------------------

    @Test
    void refreshReturnsANewPairAndTheUsedRefreshTokenThenFails() {
        String address = email("quinn");
        User user = newUserWith("quinn", address);
        TokenPair first = auth.login(address, PASSWORD);
        clock.advance(Duration.ofSeconds(30));
        TokenPair second = auth.refresh(first.refreshToken());
        assertNotEquals(first.refreshToken(), second.refreshToken());
        assertNotEquals(first.accessToken(), second.accessToken());
        assertEquals("Bearer", second.tokenType());
        assertEquals(ACCESS.toSeconds(), second.expiresIn());
        assertEquals(Caller.user(user.id(), Role.USER), auth.authenticate(second.accessToken()));
        GcpException e = failure(() -> auth.refresh(first.refreshToken()));
        assertEquals("InvalidRefreshToken", e.code());
        assertEquals(401, e.httpStatus());
    }

    @Test
    void reusingAUsedRefreshTokenRevokesItsWholeFamilyButNoOtherLogin() {
        String address = email("rae");
        newUserWith("rae", address);
        TokenPair laptop = auth.login(address, PASSWORD);
        TokenPair phone = auth.login(address, PASSWORD);
        String otherAddress = email("sam");
        newUserWith("sam", otherAddress);
        TokenPair otherUser = auth.login(otherAddress, PASSWORD);

        TokenPair rotated = auth.refresh(laptop.refreshToken());
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(laptop.refreshToken())), "replay");
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(rotated.refreshToken())),
                "a replay revokes the newer token of the same login too");

        TokenPair phone2 = auth.refresh(phone.refreshToken());
        assertNotNull(auth.refresh(phone2.refreshToken()), "the user's other login keeps working");
        assertNotNull(auth.refresh(otherUser.refreshToken()), "other users are not affected");
    }

    @Test
    void aRevokedFamilyStaysRevokedForEveryLaterToken() {
        String address = email("tia");
        newUserWith("tia", address);
        TokenPair one = auth.login(address, PASSWORD);
        TokenPair two = auth.refresh(one.refreshToken());
        TokenPair three = auth.refresh(two.refreshToken());
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(one.refreshToken())), "replay of the oldest");
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(three.refreshToken())));
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(three.refreshToken())));
        assertEquals("Bearer", auth.login(address, PASSWORD).tokenType(), "logging in again still works");
    }

    @Test
    void aRefreshTokenExpiresAfterTheConfiguredLifetime() {
        String address = email("uma");
        newUserWith("uma", address);
        TokenPair early = auth.login(address, PASSWORD);
        TokenPair late = auth.login(address, PASSWORD);
        clock.advance(REFRESH.minusSeconds(1));
        TokenPair renewed = auth.refresh(early.refreshToken());
        clock.advance(Duration.ofSeconds(1));
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(late.refreshToken())));
        assertNotNull(auth.refresh(renewed.refreshToken()), "a rotated token lives from its own issue time");
    }

    @Test
    void unknownOrMissingRefreshTokensAreRejected() {
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh("not-a-refresh-token")));
        String address = email("vic");
        newUserWith("vic", address);
        String access = auth.login(address, PASSWORD).accessToken();
        assertEquals("InvalidRefreshToken", code(() -> auth.refresh(access)), "an access token is no refresh token");
        assertEquals("MissingParameter", code(() -> auth.refresh(null)));
        assertEquals("MissingParameter", code(() -> auth.refresh(" ")));
    }

    @Test
    void refreshTokensAreStoredOnlyAsSha256Hashes() {
        String address = email("wes");
        newUserWith("wes", address);
        String refresh = auth.login(address, PASSWORD).refreshToken();
        assertEquals(0, tokenRows(refresh), "the refresh token itself must not be stored");
        assertEquals(1, tokenRows(sha256Hex(refresh)));
    }

    // --- user administration (UserServiceImpl) ------------------------------------------------------

    @Test
    void aTenantMayNotListOrLookUpUsers() {
        String address = email("xena");
        User user = newUserWith("xena", address);
        Caller tenant = auth.authenticate(auth.login(address, PASSWORD).accessToken());
        UserServiceImpl users = new UserServiceImpl(db);
        GcpException list = failure(() -> users.list(tenant, PageRequest.first()));
        assertEquals("UnauthorizedOperation", list.code());
        assertEquals(403, list.httpStatus());
        assertEquals("UnauthorizedOperation", code(() -> users.getByEmail(tenant, address)));
        assertEquals("UnauthorizedOperation", code(() -> users.list(Caller.user(user.id(), Role.USER),
                new PageRequest(1000, null))));
    }

    @Test
    void anAdminListsEveryUserInCreationOrderAcrossPages() {
        String adminAddress = email("boss");
        User admin = auth.createUser("boss", adminAddress, PASSWORD, Role.ADMIN);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(newUser("tenant" + i).id());
        }
        Caller adminCaller = auth.authenticate(auth.login(adminAddress, PASSWORD).accessToken());
        UserServiceImpl users = new UserServiceImpl(db);

        List<User> seen = new ArrayList<>();
        String token = null;
        do {
            Page<User> page = users.list(adminCaller, new PageRequest(3, token));
            assertTrue(page.items().size() <= 3);
            seen.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        List<String> ids = seen.stream().map(User::id).toList();
        assertEquals(userCount(), ids.size());
        assertEquals(ids.size(), Set.copyOf(ids).size(), "no user may appear twice");
        List<String> ours = ids.stream().filter(created::contains).toList();
        assertEquals(created, ours, "users are listed in creation order");
        assertTrue(ids.indexOf(admin.id()) < ids.indexOf(created.get(0)));
        assertEquals("admin", seen.get(ids.indexOf(admin.id())).role());
        assertEquals("user", seen.get(ids.indexOf(created.get(0))).role());

        List<String> byOperator = users.list(Caller.operator(), new PageRequest(1000, null)).items().stream()
                .map(User::id).toList();
        assertEquals(ids, byOperator, "the operator sees the same list");
        assertEquals("InvalidPaginationToken", code(() -> users.list(adminCaller, new PageRequest(3, "garbage"))));
        assertEquals("InvalidParameterValue", code(() -> users.list(adminCaller, new PageRequest(1001, null))));
    }

    @Test
    void anAdminLooksUpAUserByEmailInAnyCase() {
        String address = email("yan");
        User user = newUserWith("yan", address);
        Caller admin = Caller.user(auth.createUser("chief", email("chief"), PASSWORD, Role.ADMIN).id(), Role.ADMIN);
        UserServiceImpl users = new UserServiceImpl(db);
        assertEquals(user, users.getByEmail(admin, address.toUpperCase(Locale.ROOT)));
        assertEquals(user, users.getByEmail(Caller.operator(), address));
        assertEquals("InvalidParameterValue", code(() -> users.getByEmail(admin, email("nobody"))));
        assertEquals("InvalidParameterValue", code(() -> users.getByEmail(admin, "not-an-email")));
    }

    // --- helpers ------------------------------------------------------------------------------------

    private User newUserWith(String name, String address) {
        return auth.register(name, address, PASSWORD);
    }

    private String storedEmail(String userId) {
        return db.inTransaction(em -> (String) em.createNativeQuery("SELECT email FROM users WHERE id = ?")
                .setParameter(1, userId).getSingleResult());
    }

    private long tokenRows(String tokenHash) {
        return db.inTransaction(em -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ?").setParameter(1, tokenHash)
                .getSingleResult()).longValue());
    }

    private void assertAuthFailure(String token) {
        GcpException e = failure(() -> auth.authenticate(token));
        assertEquals("AuthFailure", e.code(), String.valueOf(token));
        assertEquals(401, e.httpStatus());
    }

    private JWTClaimsSet.Builder claims(String subject, String role) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(AccessTokens.ISSUER)
                .subject(subject)
                .claim("role", role)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ACCESS)))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(JWTClaimsSet claims, byte[] secret) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
