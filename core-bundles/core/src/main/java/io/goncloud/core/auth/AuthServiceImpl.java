package io.goncloud.core.auth;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.User;
import io.goncloud.api.service.AuthService;
import io.goncloud.api.service.Caller;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.RefreshTokenEntity;
import io.goncloud.core.persistence.UserEntity;
import io.goncloud.core.validation.Check;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration, login and token refresh. Refresh tokens are random, stored only as SHA-256 hashes, and
 * rotate: each works once. A refresh token presented a second time means it was stolen or replayed,
 * so every token descending from the same login is revoked.
 */
public class AuthServiceImpl implements AuthService {

    static final int MIN_PASSWORD_LENGTH = 8;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Who logged in or failed to, from where: for operators watching for password guessing. Never passwords. */
    private static final Logger AUDIT = LoggerFactory.getLogger("io.goncloud.audit");

    private final Database db;
    private final PasswordHasher passwords;
    private final AccessTokens accessTokens;
    private final Duration refreshLifetime;
    private final Clock clock;
    private final LoginThrottle throttle;

    public AuthServiceImpl(Database db, byte[] jwtSecret, Duration accessLifetime, Duration refreshLifetime,
                           int bcryptCost, Clock clock) {
        this(db, jwtSecret, accessLifetime, refreshLifetime, bcryptCost, clock, LoginThrottle.Limits.DEFAULT);
    }

    AuthServiceImpl(Database db, byte[] jwtSecret, Duration accessLifetime, Duration refreshLifetime,
                    int bcryptCost, Clock clock, LoginThrottle.Limits loginLimits) {
        this.db = db;
        this.passwords = new PasswordHasher(bcryptCost);
        this.accessTokens = new AccessTokens(jwtSecret, accessLifetime, clock);
        this.refreshLifetime = refreshLifetime;
        this.clock = clock;
        this.throttle = new LoginThrottle(loginLimits, clock);
    }

    @Override
    public User register(String username, String email, String password) {
        return createUser(username, email, password, Role.USER);
    }

    /** Creates an account with any role; for the initial admin and operators. */
    public User createUser(String username, String email, String password, Role role) {
        String name = Check.requiredText(username, "username", 64);
        if (!USERNAME.matcher(name).matches()) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "username may contain only letters, digits, '.', '_' and '-'");
        }
        String address = normalisedEmail(email);
        checkPassword(password);
        String hash = passwords.hash(password);
        return db.inTransaction(em -> {
            if (findByEmail(em, address) != null) {
                throw new GcpException(ErrorCode.USER_DUPLICATE, "A user with the email '" + address + "' already exists");
            }
            UserEntity user = new UserEntity();
            user.id = Database.newId();
            user.username = name;
            user.email = address;
            user.passwordHash = hash;
            user.role = role.wireName();
            user.active = true;
            user.createdAt = Database.now();
            user.updatedAt = user.createdAt;
            em.persist(user);
            return UserServiceImpl.toModel(user);
        });
    }

    @Override
    public TokenPair login(String email, String password, String sourceAddress) {
        if (email == null || password == null) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain email and password");
        }
        String address = email.strip().toLowerCase(Locale.ROOT);
        String from = sourceAddress == null ? "an unknown address" : sourceAddress;
        long wait = throttle.retryAfterSeconds(address, sourceAddress);
        if (wait > 0) {
            AUDIT.warn("Login refused for {} from {}: too many failed logins; try again in {} s", address, from, wait);
            throw new GcpException(ErrorCode.LOGIN_THROTTLED, "Too many failed logins for this account or from this "
                    + "address; try again in " + wait + " s", wait);
        }
        UserEntity user = db.inTransaction(em -> findByEmail(em, address));
        if (user == null) {
            passwords.burnTime(password);
        }
        if (user == null || !passwords.matches(password, user.passwordHash) || !user.active) {
            int failures = throttle.failed(address, sourceAddress);
            AUDIT.warn("Login failed for {} from {} ({} recent failure(s) for the account)", address, from, failures);
            throw badCredentials();
        }
        throttle.succeeded(address);
        AUDIT.info("Login of {} from {}", address, from);
        return db.inTransaction(em -> {
            em.createQuery("DELETE FROM RefreshTokenEntity t WHERE t.userId = :user AND t.expiresAt < :now")
                    .setParameter("user", user.id).setParameter("now", Database.now()).executeUpdate();
            return issue(em, user, Database.newId());
        });
    }

    @Override
    public void logout(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain refresh_token");
        }
        String hash = sha256(refreshToken);
        db.run(em -> {
            List<String> families = em.createQuery("SELECT t.familyId FROM RefreshTokenEntity t WHERE t.tokenHash = :hash",
                    String.class).setParameter("hash", hash).getResultList();
            if (!families.isEmpty()) {
                em.createQuery("UPDATE RefreshTokenEntity t SET t.revoked = true WHERE t.familyId = :family")
                        .setParameter("family", families.get(0)).executeUpdate();
            }
        });
    }

    @Override
    public TokenPair refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain refresh_token");
        }
        String hash = sha256(refreshToken);
        // Either a new pair, or null when the token was reused: the family's revocation must commit,
        // so the failure is raised after the transaction.
        TokenPair pair = db.inTransaction(em -> {
            List<RefreshTokenEntity> found = em.createQuery(
                            "SELECT t FROM RefreshTokenEntity t WHERE t.tokenHash = :hash", RefreshTokenEntity.class)
                    .setParameter("hash", hash).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
            if (found.isEmpty()) {
                throw invalidRefresh();
            }
            RefreshTokenEntity token = found.get(0);
            if (token.usedAt != null) {
                em.createQuery("UPDATE RefreshTokenEntity t SET t.revoked = true WHERE t.familyId = :family")
                        .setParameter("family", token.familyId).executeUpdate();
                return null;
            }
            UserEntity user = em.find(UserEntity.class, token.userId);
            if (token.revoked || !token.expiresAt.toInstant().isAfter(clock.instant()) || user == null || !user.active) {
                throw invalidRefresh();
            }
            token.usedAt = Database.now();
            return issue(em, user, token.familyId);
        });
        if (pair == null) {
            throw invalidRefresh();
        }
        return pair;
    }

    @Override
    public Caller authenticate(String accessToken) {
        if (accessToken == null || accessToken.isBlank()) {
            throw new GcpException(ErrorCode.AUTH_FAILURE, "an access token is required");
        }
        Caller caller = accessTokens.verify(accessToken);
        // A signed token outlives a deactivation; the account's state decides at every request.
        Boolean active = db.read(em -> em.createQuery("SELECT u.active FROM UserEntity u WHERE u.id = :id", Boolean.class)
                .setParameter("id", caller.userId()).getResultStream().findFirst().orElse(Boolean.FALSE));
        if (!Boolean.TRUE.equals(active)) {
            throw new GcpException(ErrorCode.AUTH_FAILURE, "the access token's account is deactivated or gone");
        }
        return caller;
    }

    private TokenPair issue(EntityManager em, UserEntity user, String familyId) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String refreshToken = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        RefreshTokenEntity row = new RefreshTokenEntity();
        row.id = Database.newId();
        row.userId = user.id;
        row.familyId = familyId;
        row.tokenHash = sha256(refreshToken);
        row.createdAt = Database.now();
        row.expiresAt = clock.instant().plus(refreshLifetime).atOffset(ZoneOffset.UTC);
        row.revoked = false;
        em.persist(row);
        String access = accessTokens.issue(user.id, Role.fromWireName(user.role));
        return new TokenPair(access, refreshToken, "Bearer", accessTokens.lifetime().toSeconds());
    }

    static UserEntity findByEmail(EntityManager em, String email) {
        List<UserEntity> users = em.createQuery("SELECT u FROM UserEntity u WHERE u.email = :email", UserEntity.class)
                .setParameter("email", email).getResultList();
        return users.isEmpty() ? null : users.get(0);
    }

    static String normalisedEmail(String email) {
        String address = Check.requiredText(email, "email", 254).toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(address).matches()) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "'" + email + "' is not a valid email address");
        }
        return address;
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter password");
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "password must be at least " + MIN_PASSWORD_LENGTH + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "password must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes long");
        }
    }

    private static GcpException badCredentials() {
        return new GcpException(ErrorCode.INVALID_CREDENTIALS, "The email or password is incorrect");
    }

    private static GcpException invalidRefresh() {
        return new GcpException(ErrorCode.INVALID_REFRESH_TOKEN,
                "The refresh token is invalid, expired or already used; log in again");
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
