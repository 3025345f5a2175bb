package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class SecurityGroupServicePostgresTest extends SecurityGroupServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
