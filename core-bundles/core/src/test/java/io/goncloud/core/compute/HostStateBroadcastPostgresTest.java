package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class HostStateBroadcastPostgresTest extends HostStateBroadcastContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
