package io.goncloud.core.auth;

import io.goncloud.api.model.Role;
import io.goncloud.api.service.AuthService;
import io.goncloud.core.persistence.Database;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The authentication service in OSGi: reads {@code io.goncloud.auth}, finds or creates the token
 * signing secret, and makes sure an administrator exists.
 */
@Component(service = AuthService.class, configurationPid = "io.goncloud.auth")
@Designate(ocd = AuthConfig.class)
public class AuthComponent extends AuthServiceImpl {

    private static final Logger LOG = LoggerFactory.getLogger(AuthComponent.class);
    static final int MIN_SECRET_LENGTH = 32;

    @Activate
    public AuthComponent(@Reference Database db, AuthConfig config) {
        super(db, signingSecret(config), Duration.ofSeconds(config.access_token_ttl_seconds()),
                Duration.ofSeconds(config.refresh_token_ttl_seconds()), config.bcrypt_cost(), Clock.systemUTC());
        InitialAdmin.ensure(db, this, config.admin_email(), config.admin_password(), gcpDataDir());
    }

    private static byte[] signingSecret(AuthConfig config) {
        String secret = config.jwt_secret();
        if (secret == null || secret.isBlank()) {
            secret = SecretFiles.readOrCreate(gcpDataDir().resolve("jwt-secret"), 48);
        } else if (secret.length() < MIN_SECRET_LENGTH) {
            LOG.error("jwt.secret in io.goncloud.auth is shorter than {} characters; refusing to use it",
                    MIN_SECRET_LENGTH);
            throw new IllegalArgumentException("jwt.secret is too short");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    static Path gcpDataDir() {
        String data = System.getProperty("karaf.data");
        if (data == null) {
            throw new UncheckedIOException(new IOException("karaf.data is not set"));
        }
        return Path.of(data, "gcp");
    }

    /** The first administrator: from configuration, or with a generated password handed over in a file. */
    static final class InitialAdmin {
        private InitialAdmin() {
        }

        static void ensure(Database db, AuthServiceImpl auth, String email, String configuredPassword, Path dataDir) {
            long admins = db.inTransaction(em -> em.createQuery(
                    "SELECT COUNT(u) FROM UserEntity u WHERE u.role = 'admin'", Long.class).getSingleResult());
            if (admins > 0) {
                return;
            }
            boolean generated = configuredPassword == null || configuredPassword.isBlank();
            String password = generated ? SecretFiles.randomSecret(18) : configuredPassword;
            if (generated) {
                Path file = dataDir.resolve("initial-admin-password");
                try {
                    java.nio.file.Files.deleteIfExists(file);
                    SecretFiles.write(file, password);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
                LOG.info("Created the administrator {}; its generated password is in {} (delete the file once read)",
                        email, file);
            } else {
                LOG.info("Created the administrator {} with the configured password", email);
            }
            auth.createUser("admin", email, password, Role.ADMIN);
        }
    }
}
