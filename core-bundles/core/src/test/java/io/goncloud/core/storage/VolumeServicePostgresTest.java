package io.goncloud.core.storage;

import io.goncloud.core.testing.TestDatabase;

class VolumeServicePostgresTest extends VolumeServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
