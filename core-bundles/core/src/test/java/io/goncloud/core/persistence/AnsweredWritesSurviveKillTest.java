package io.goncloud.core.persistence;

import io.goncloud.core.auth.AuthServiceImpl;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write the platform answered survives {@code kill -9} of its process right after the answer, on the embedded
 * H2 database the all-in-one ships with (file URL as in its datasource configuration). The writer is a real JVM
 * of its own, killed with SIGKILL as soon as it has printed its last answer; another process then reads the file.
 */
class AnsweredWritesSurviveKillTest {

    private static final int WRITES = 20;

    /** The writing process: migrates like the platform, registers users through the real service, answers each. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            JdbcDataSource ds = h2(args[0]);
            // The platform's pool keeps connections open, so H2 keeps the database open (and its writer lazy); a
            // database whose last connection closes is flushed, which would hide the loss.
            Connection pooled = ds.getConnection();
            SchemaMigrations.migrate(ds);
            var emf = new PersistenceProvider().createEntityManagerFactory("gcp",
                    Map.of("javax.persistence.nonJtaDataSource", ds));
            AuthServiceImpl auth = new AuthServiceImpl(new Database(emf), new byte[32], Duration.ofMinutes(5),
                    Duration.ofDays(1), 4, Clock.systemUTC());
            for (int i = 0; i < WRITES; i++) {
                String email = "kill-" + i + "@example.test";
                auth.register("kill-" + i, email, "password-" + i);
                System.out.println("answered " + email);
                System.out.flush();
            }
            System.out.println("done");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // killed long before
            pooled.close();
        }
    }

    private static JdbcDataSource h2(String file) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + file);
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    @Test
    void registrationsAnsweredBeforeAKillAreThereAfterIt() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "h2-kill").toAbsolutePath());
        String file = dir.resolve(UUID.randomUUID().toString()).toString();
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), file)
                .redirectErrorStream(true).start();
        List<String> answered = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("answered ")) {
                    answered.add(line.substring("answered ".length()));
                } else if (line.equals("done")) {
                    writer.destroyForcibly(); // SIGKILL, right after the last answer
                    break;
                }
            }
        } finally {
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(WRITES, answered.size(), output.toString());

        List<String> kept = new ArrayList<>();
        try (Connection c = h2(file).getConnection();
             PreparedStatement q = c.prepareStatement("SELECT email FROM users WHERE email LIKE 'kill-%' ORDER BY email")) {
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    kept.add(r.getString(1));
                }
            }
        }
        assertEquals(answered.stream().sorted().toList(), kept, "every answered registration survives the kill");
    }
}
