package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class ElasticIpServicePostgresTest extends ElasticIpServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
