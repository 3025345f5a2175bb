package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;

class NetworkingApiPostgresTest extends NetworkingApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
