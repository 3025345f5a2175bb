package io.goncloud.api.service;

import io.goncloud.api.model.ElasticIp;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

/** Elastic IPs from the operator's public address pool. Scoped to the caller. */
public interface ElasticIpService {

    Page<ElasticIp> list(Caller caller, PageRequest page);

    /**
     * Allocates the lowest free address of the pool; {@code AddressLimitExceeded} when none is left.
     *
     * @param ownerId the owning user; ignored for tenants, required for the operator
     */
    ElasticIp allocate(Caller caller, String ownerId);

    ElasticIp get(Caller caller, String allocationId);

    /** Gives the address back to the pool; {@code InvalidIPAddress.InUse} while it is associated. */
    void release(Caller caller, String allocationId);

    /**
     * Maps the address to one of the owner's instances, whose VPC must have an internet gateway
     * ({@code Gateway.NotAttached}); {@code Resource.AlreadyAssociated} if the address or the instance
     * already has an elastic IP. An address the instance got automatically at launch is given back.
     */
    ElasticIp associate(Caller caller, String allocationId, String instanceId);

    /** {@code InvalidAssociationID.NotFound} if the address is not associated. */
    ElasticIp disassociate(Caller caller, String allocationId);

    record Associate(String instanceId) {
    }
}
