package io.goncloud.core.compute;

import io.goncloud.core.testing.TestDatabase;

class QuotaH2Test extends QuotaContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
