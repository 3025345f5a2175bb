package io.goncloud.core.images;

import io.goncloud.core.testing.TestDatabase;

class DefaultImagePostgresTest extends DefaultImageContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
