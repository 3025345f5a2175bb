package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class VpcServicePostgresTest extends VpcServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
