package io.goncloud.core.auth;

import io.goncloud.core.testing.TestDatabase;

class AccountProtectionPostgresTest extends AccountProtectionContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
