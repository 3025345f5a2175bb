package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class HostStateBroadcastH2Test extends HostStateBroadcastContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
