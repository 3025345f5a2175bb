package io.goncloud.core.auth;

import io.goncloud.core.testing.TestDatabase;

class AuthServicePostgresTest extends AuthServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
