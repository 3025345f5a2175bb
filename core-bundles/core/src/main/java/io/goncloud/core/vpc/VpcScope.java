package io.goncloud.core.vpc;

import io.goncloud.api.service.Caller;

import javax.persistence.EntityManager;
import java.util.Map;

/**
 * Which rows of a VPC-owned resource a list shows: those of one VPC the caller can see, or else all of
 * the caller's VPCs (everything, for the operator). A JPQL condition on alias {@code e} with a
 * {@code vpcId} field, for {@link io.goncloud.core.persistence.Paging}.
 */
record VpcScope(String where, Map<String, Object> params) {

    static VpcScope of(EntityManager em, Caller caller, String vpcId) {
        if (vpcId != null) {
            return new VpcScope("e.vpcId = :vpc", Map.of("vpc", VpcServiceImpl.find(em, caller, vpcId, false).id));
        }
        if (!caller.isOperator()) {
            return new VpcScope("e.vpcId IN (SELECT v.id FROM VpcEntity v WHERE v.userId = :owner)",
                    Map.of("owner", caller.userId()));
        }
        return new VpcScope(null, Map.of());
    }
}
