package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class InternetGatewayServiceH2Test extends InternetGatewayServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
