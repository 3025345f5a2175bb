package io.goncloud.core.persistence;

import io.goncloud.core.testing.TestDatabase;

class DatabaseListenersH2Test extends DatabaseListenersContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
