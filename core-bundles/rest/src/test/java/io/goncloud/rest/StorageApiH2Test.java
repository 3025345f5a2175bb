package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;

class StorageApiH2Test extends StorageApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
