package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;

class NetworkingApiH2Test extends NetworkingApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
