package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;

class RestApiH2Test extends RestApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
