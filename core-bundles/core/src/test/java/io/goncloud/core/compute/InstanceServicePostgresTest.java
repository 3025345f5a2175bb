package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class InstanceServicePostgresTest extends InstanceServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
