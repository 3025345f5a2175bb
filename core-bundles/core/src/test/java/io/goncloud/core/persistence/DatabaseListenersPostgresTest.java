package io.goncloud.core.persistence;

import io.goncloud.core.testing.TestDatabase;

class DatabaseListenersPostgresTest extends DatabaseListenersContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
