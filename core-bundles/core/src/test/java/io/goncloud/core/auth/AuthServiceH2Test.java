package io.goncloud.core.auth;

import io.goncloud.core.testing.TestDatabase;

class AuthServiceH2Test extends AuthServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
