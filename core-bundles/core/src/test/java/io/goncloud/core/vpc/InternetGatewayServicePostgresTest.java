package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class InternetGatewayServicePostgresTest extends InternetGatewayServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
