package io.goncloud.core.auth;

import io.goncloud.core.testing.TestDatabase;

class AccountProtectionH2Test extends AccountProtectionContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
