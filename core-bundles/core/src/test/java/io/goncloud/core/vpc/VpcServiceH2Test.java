package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class VpcServiceH2Test extends VpcServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
