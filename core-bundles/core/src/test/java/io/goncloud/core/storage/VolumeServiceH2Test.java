package io.goncloud.core.storage;

import io.goncloud.core.testing.TestDatabase;

class VolumeServiceH2Test extends VolumeServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
