package io.goncloud.core.vpc;

import io.goncloud.core.testing.TestDatabase;

class ElasticIpServiceH2Test extends ElasticIpServiceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
