package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class NetworkAclServiceH2Test extends NetworkAclServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
