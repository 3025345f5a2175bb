package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;

class StorageApiPostgresTest extends StorageApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
