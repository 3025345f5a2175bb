package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class PerHostStateH2Test extends PerHostStateContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
