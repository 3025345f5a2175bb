package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class NetworkAclServicePostgresTest extends NetworkAclServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
