package io.goncloud.api.service;

import io.goncloud.api.model.InternetGateway;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

/** Internet gateways, owned by a tenant and attached to at most one of its VPCs. Scoped to the caller. */
public interface InternetGatewayService {

    Page<InternetGateway> list(Caller caller, PageRequest page);

    /** @param ownerId the owning user; ignored for tenants, required for the operator */
    InternetGateway create(Caller caller, CreateInternetGateway request, String ownerId);

    InternetGateway get(Caller caller, String gatewayId);

    /** {@code DependencyViolation} while attached. */
    void delete(Caller caller, String gatewayId);

    /** {@code Resource.AlreadyAssociated} if the gateway is attached, or the VPC already has a gateway. */
    InternetGateway attach(Caller caller, String gatewayId, String vpcId);

    /**
     * {@code Gateway.NotAttached} unless attached to this VPC; {@code DependencyViolation} while a route
     * of the VPC targets the gateway or an instance of the VPC has a public address.
     */
    InternetGateway detach(Caller caller, String gatewayId, String vpcId);

    /** @param name optional; empty when {@code null} */
    record CreateInternetGateway(String name) {
    }

    record Attachment(String vpcId) {
    }
}
