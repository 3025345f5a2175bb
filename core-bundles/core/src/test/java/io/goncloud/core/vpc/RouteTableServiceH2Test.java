package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class RouteTableServiceH2Test extends RouteTableServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
