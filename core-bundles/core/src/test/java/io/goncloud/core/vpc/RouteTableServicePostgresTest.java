package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class RouteTableServicePostgresTest extends RouteTableServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
