package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;

class RestApiPostgresTest extends RestApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
