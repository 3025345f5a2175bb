package io.goncloud.core.persistence;

import io.goncloud.core.testing.TestDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaMigrationsTest {

    private static final Path FOLDER = Path.of("src/main/resources/db/migration");
    private static final Pattern NAME = Pattern.compile("V(\\d+)__\\w+\\.sql");

    @Test
    void everyFileInTheMigrationFolderIsListed() throws IOException {
        assertTrue(Files.isDirectory(FOLDER), "run from the module's folder: " + FOLDER.toAbsolutePath());
        Set<String> files = new HashSet<>();
        try (Stream<Path> listing = Files.list(FOLDER)) {
            listing.forEach(p -> files.add(p.getFileName().toString()));
        }
        assertFalse(files.isEmpty());
        assertEquals(files, new HashSet<>(SchemaMigrations.MIGRATIONS),
                "SchemaMigrations.MIGRATIONS must name exactly the files in " + FOLDER);
        assertEquals(files.size(), SchemaMigrations.MIGRATIONS.size(), "no migration may be listed twice");
    }

    @Test
    void migrationsAreNamedForFlywayAndListedInVersionOrder() {
        List<Integer> versions = new ArrayList<>();
        for (String name : SchemaMigrations.MIGRATIONS) {
            Matcher m = NAME.matcher(name);
            assertTrue(m.matches(), name + " is not a versioned Flyway migration name (V<n>__<description>.sql)");
            versions.add(Integer.parseInt(m.group(1)));
        }
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "out of order or repeated version: " + versions);
        }
    }

    @Test
    void everyListedMigrationIsOnTheClassPath() {
        for (String name : SchemaMigrations.MIGRATIONS) {
            assertNotNull(SchemaMigrations.class.getClassLoader().getResource(SchemaMigrations.FOLDER + name), name);
        }
    }

    @Test
    void anEmptyDatabaseGetsEveryMigrationOnceAndTheSecondRunAppliesNothing() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("");
        try {
            assertEquals(SchemaMigrations.MIGRATIONS.size(), SchemaMigrations.migrate(ds));
            assertEquals(0, SchemaMigrations.migrate(ds));
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT \"script\", \"success\" FROM \"flyway_schema_history\" "
                        + "WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                    List<String> applied = new ArrayList<>();
                    while (rs.next()) {
                        assertTrue(rs.getBoolean(2), rs.getString(1) + " did not succeed");
                        applied.add(rs.getString(1));
                    }
                    assertEquals(SchemaMigrations.MIGRATIONS, applied);
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM instance_types")) {
                    rs.next();
                    assertEquals(5, rs.getInt(1), "V2 seeds the five t2 instance types");
                }
            }
        } finally {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    @Test
    void subnetsThatExistedBeforeSeveralHostsGetDistinctTunnelIdsAndNewOnesFollow() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertEquals(5, SchemaMigrations.migrate(ds, "5"));
            for (int i = 0; i < 3; i++) {
                s.execute("INSERT INTO subnets (id, name, cidr_block, availability_zone, is_public, created_at, "
                        + "updated_at) VALUES ('" + UUID.randomUUID() + "', 'old', '10.0." + i + ".0/24', 'zone-a', "
                        + "FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
            assertEquals(SchemaMigrations.MIGRATIONS.size() - 5, SchemaMigrations.migrate(ds));
            s.execute("INSERT INTO subnets (id, name, cidr_block, availability_zone, is_public, created_at, updated_at) "
                    + "VALUES ('" + UUID.randomUUID() + "', 'new', '10.0.9.0/24', 'zone-a', FALSE, CURRENT_TIMESTAMP, "
                    + "CURRENT_TIMESTAMP)");
            Set<Integer> vnis = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT vni FROM subnets")) {
                while (rs.next()) {
                    assertTrue(rs.getInt(1) > 0, "every subnet has a tunnel id");
                    vnis.add(rs.getInt(1));
                }
            }
            assertEquals(4, vnis.size(), "distinct: " + vnis);
            s.execute("SHUTDOWN");
        }
    }

    @Test
    void migratingAnAlreadyMigratedDatabaseAppliesNothing() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            assertEquals(0, SchemaMigrations.migrate(db.dataSource()));
            assertEquals(0, SchemaMigrations.migrate(db.dataSource()));
            long users = db.database().inTransaction(em -> ((Number) em.createNativeQuery(
                    "SELECT COUNT(*) FROM users").getSingleResult()).longValue());
            assertEquals(0, users);
        }
    }
}
