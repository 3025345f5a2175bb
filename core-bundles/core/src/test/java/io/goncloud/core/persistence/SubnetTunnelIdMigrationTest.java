package io.goncloud.core.persistence;

import io.goncloud.core.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V6 on a database an older release filled: the subnets that already exist get tunnel ids (VNIs) too, all distinct,
 * and a subnet created afterwards gets one none of them has. On H2 and PostgreSQL, whose identity columns differ.
 */
class SubnetTunnelIdMigrationTest {

    private static final int EXISTING_SUBNETS = 3;

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void existingSubnetsGetDistinctTunnelIdsAndNewOnesOthers(TestDatabase.Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind, SubnetTunnelIdMigrationTest::subnetsOfRelease5)) {
            List<Integer> backfilled = tunnelIds(db.dataSource());
            assertEquals(EXISTING_SUBNETS, backfilled.size());
            backfilled.forEach(vni -> assertNotNull(vni, "an existing subnet without a tunnel id: " + backfilled));
            assertEquals(EXISTING_SUBNETS, new HashSet<>(backfilled).size(), "tunnel ids repeat: " + backfilled);
            backfilled.forEach(vni -> assertTrue(vni > 0 && vni < 1 << 24, "not a VXLAN id: " + vni));

            insertSubnet(db.dataSource()); // as the platform does: no vni given, the database numbers it
            List<Integer> added = tunnelIds(db.dataSource());
            added.removeAll(backfilled);
            assertEquals(1, added.size(), "the new subnet's tunnel id is new: " + added + " beside " + backfilled);
            assertNotNull(added.get(0));

            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE subnets SET vni = " + added.get(0)
                        + " WHERE vni = " + backfilled.get(0)), "two subnets with one tunnel id");
            }
        }
    }

    /** The schema of release 5 (V1-V5) with a few subnets, as it stood before several hosts. */
    private static void subnetsOfRelease5(DataSource dataSource) {
        Flyway.configure(Flyway.class.getClassLoader()).dataSource(dataSource)
                .locations("classpath:" + SchemaMigrations.FOLDER).target("5").load().migrate();
        try {
            for (int i = 0; i < EXISTING_SUBNETS; i++) {
                insertSubnet(dataSource);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insertSubnet(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO subnets (id, name, cidr_block, availability_zone, is_public, created_at, updated_at) "
                        + "VALUES (?, ?, ?, 'gcp-1a', FALSE, ?, ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, "s" + System.nanoTime());
            insert.setString(3, "10.0.1.0/24");
            insert.setTimestamp(4, now);
            insert.setTimestamp(5, now);
            insert.executeUpdate();
        }
    }

    /** Every subnet's tunnel id. */
    private static List<Integer> tunnelIds(DataSource dataSource) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT vni FROM subnets")) {
            while (rs.next()) {
                int vni = rs.getInt(1);
                ids.add(rs.wasNull() ? null : vni);
            }
        }
        return ids;
    }
}
