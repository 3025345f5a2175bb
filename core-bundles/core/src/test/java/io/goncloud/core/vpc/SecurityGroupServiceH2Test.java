package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class SecurityGroupServiceH2Test extends SecurityGroupServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
