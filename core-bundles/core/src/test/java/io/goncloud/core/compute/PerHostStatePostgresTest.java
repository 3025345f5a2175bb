package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class PerHostStatePostgresTest extends PerHostStateContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
