package io.goncloud.core.images;

import io.goncloud.core.testing.TestDatabase;

class DefaultImageH2Test extends DefaultImageContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
