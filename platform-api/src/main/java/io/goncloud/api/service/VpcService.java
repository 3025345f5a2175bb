package io.goncloud.api.service;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Vpc;

/** VPCs with EC2 semantics. All methods are scoped to the caller. */
public interface VpcService {

    Page<Vpc> list(Caller caller, PageRequest page);

    /**
     * Creates a VPC with its main route table, default security group and default network ACL, all in
     * one transaction.
     *
     * @param ownerId the owning user; ignored for tenants (they own what they create), required for the operator
     */
    Vpc create(Caller caller, CreateVpc request, String ownerId);

    Vpc get(Caller caller, String vpcId);

    Vpc update(Caller caller, String vpcId, UpdateVpc request);

    /** Deletes the VPC and its defaults; {@code DependencyViolation} while subnets or other resources remain. */
    void delete(Caller caller, String vpcId);

    record CreateVpc(String name, String cidrBlock, String description) {
    }

    /** Fields left {@code null} are left unchanged. The CIDR block of a VPC cannot change. */
    record UpdateVpc(String name, String description) {
    }
}
