package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class QuotaPostgresTest extends QuotaContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
