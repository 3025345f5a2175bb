package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;

/** The contract's core cases on PostgreSQL; key pairs, images and nodes run on H2 only (ComputeApiH2Test). */
class ComputeApiPostgresTest extends ComputeApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
