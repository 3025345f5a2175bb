package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class InstanceServiceH2Test extends InstanceServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
