package io.goncloud.core.testing;

import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.SchemaMigrations;
import org.eclipse.persistence.jpa.PersistenceProvider;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A fresh, migrated database for one test class: an H2 file database, or a new database on the real
 * PostgreSQL server named by {@code GCP_TEST_PG_URL} (with {@code GCP_TEST_PG_USER} and
 * {@code GCP_TEST_PG_PASSWORD}), dropped again afterwards.
 *
 * <p>Without {@code GCP_TEST_PG_URL} the PostgreSQL tests are skipped, unless {@code GCP_TEST_REQUIRE_PG}
 * is set (as CI and the README's test command do), in which case they fail.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind { H2, POSTGRESQL }

    private final Kind kind;
    private final DataSource dataSource;
    private final EntityManagerFactory emf;
    private final Runnable dropper;

    private TestDatabase(Kind kind, DataSource dataSource, Runnable dropper, Consumer<DataSource> beforeMigrations) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.dropper = dropper;
        beforeMigrations.accept(dataSource);
        SchemaMigrations.migrate(dataSource);
        this.emf = new PersistenceProvider().createEntityManagerFactory("gcp",
                Map.of("javax.persistence.nonJtaDataSource", dataSource));
    }

    public static TestDatabase create(Kind kind) {
        return create(kind, ds -> { });
    }

    /**
     * A database that {@code beforeMigrations} gets empty (to bring it to an older schema and fill it as an older
     * release would have) before the platform's migrations bring it up to date.
     */
    public static TestDatabase create(Kind kind, Consumer<DataSource> beforeMigrations) {
        return kind == Kind.H2 ? h2(beforeMigrations) : postgres(beforeMigrations);
    }

    private static TestDatabase h2(Consumer<DataSource> beforeMigrations) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:./target/h2/" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("");
        return new TestDatabase(Kind.H2, ds, () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP ALL OBJECTS DELETE FILES");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, beforeMigrations);
    }

    private static TestDatabase postgres(Consumer<DataSource> beforeMigrations) {
        String url = System.getenv("GCP_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if (System.getenv("GCP_TEST_REQUIRE_PG") != null) {
                throw new IllegalStateException("GCP_TEST_REQUIRE_PG is set but GCP_TEST_PG_URL is not");
            }
            Assumptions.abort("PostgreSQL tests need GCP_TEST_PG_URL (the README's test command sets it up)");
        }
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        admin.setUser(System.getenv("GCP_TEST_PG_USER"));
        admin.setPassword(System.getenv("GCP_TEST_PG_PASSWORD"));
        String name = "gcp_test_" + UUID.randomUUID().toString().replace("-", "");
        execute(admin, "CREATE DATABASE " + name);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1"));
        ds.setUser(admin.getUser());
        ds.setPassword(admin.getPassword());
        ds.setStringType("unspecified");
        // A pool, as the platform has: a fresh PostgreSQL connection per transaction made these tests crawl.
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(ds);
        pool.setMaximumPoolSize(24); // concurrency tests run up to 20 transactions at once
        pool.setPoolName(name);
        HikariDataSource pooled = new HikariDataSource(pool);
        return new TestDatabase(Kind.POSTGRESQL, pooled, () -> {
            pooled.close();
            dropWhenFree(admin, name);
        }, beforeMigrations);
    }

    /**
     * Drops the test's database. FORCE ends our own sessions, but an autovacuum worker that PostgreSQL started on
     * the fresh database belongs to the superuser and cannot be ended by the test role: then wait for it to finish.
     */
    private static void dropWhenFree(DataSource admin, String name) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200); // an autovacuum pass on a test database takes milliseconds
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public Kind kind() {
        return kind;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Database database() {
        return new Database(emf);
    }

    /** A database that runs {@code onChange} after each committed write, as the OSGi one tells listeners. */
    public Database database(Runnable onChange) {
        return new Database(emf) {
            @Override
            protected void committedChanges() {
                onChange.run();
            }
        };
    }

    @Override
    public void close() {
        emf.close();
        dropper.run();
    }
}
