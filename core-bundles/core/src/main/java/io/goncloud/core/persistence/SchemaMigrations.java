package io.goncloud.core.persistence;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Applies the versioned SQL migrations in {@code db/migration} with Flyway.
 *
 * <p>The migrations are named here rather than found by classpath scanning, because scanning a bundle's
 * class path from another bundle is unreliable in OSGi; a unit test checks that every file in the
 * folder is listed.
 */
public final class SchemaMigrations {

    static final String FOLDER = "db/migration/";

    /** Every migration, oldest first. Add new files at the end; never edit an applied one. */
    static final List<String> MIGRATIONS = List.of(
            "V1__schema.sql",
            "V2__seed_instance_types.sql",
            "V3__networking.sql",
            "V4__gateway_uplink.sql",
            "V5__instances.sql",
            "V6__multi_host.sql",
            "V7__quotas.sql",
            "V8__volumes.sql");

    private SchemaMigrations() {
    }

    /** Brings the database's schema up to date and makes commits durable; safe to call on every start. */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, "latest");
    }

    /** Migrates up to {@code targetVersion} (a version number, or {@code latest}); tests stop at older schemas. */
    static int migrate(DataSource dataSource, String targetVersion) {
        int applied = Flyway.configure(Flyway.class.getClassLoader())
                .dataSource(dataSource)
                .target(targetVersion)
                .resourceProvider(new BundledMigrations())
                .javaMigrationClassProvider(List::<Class<? extends JavaMigration>>of)
                .load()
                .migrate()
                .migrationsExecuted;
        durableCommits(dataSource);
        return applied;
    }

    /**
     * An answered write must survive the process: H2 hands commits to a background writer that reaches the file
     * up to a second later (WRITE_DELAY, 500 ms by default), so rows answered just before a kill -9 were gone.
     * With 0 each commit is written before it returns. PostgreSQL is durable at commit already.
     */
    static void durableCommits(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if ("H2".equals(c.getMetaData().getDatabaseProductName())) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 0");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the database's commits durable: " + e.getMessage(), e);
        }
    }

    private static final class BundledMigrations implements ResourceProvider {
        @Override
        public LoadableResource getResource(String name) {
            return MIGRATIONS.contains(name) ? new Migration(name) : null;
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            return MIGRATIONS.stream()
                    .filter(name -> name.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(name::endsWith))
                    .map(name -> (LoadableResource) new Migration(name))
                    .toList();
        }
    }

    private static final class Migration extends LoadableResource {
        private final String name;

        Migration(String name) {
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(FOLDER + name);
            if (in == null) {
                throw new UncheckedIOException(new IOException("migration missing from the bundle: " + name));
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return FOLDER + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return null;
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
