package io.goncloud.api.service;

import io.goncloud.api.model.NetworkAcl;
import io.goncloud.api.model.NetworkAclEntry;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

/** Network ACLs, their entries and subnet associations, with EC2 semantics. Scoped to the caller. */
public interface NetworkAclService {

    /** @param vpcId only this VPC's ACLs, or all the caller's when {@code null} */
    Page<NetworkAcl> list(Caller caller, String vpcId, PageRequest page);

    /** A new ACL with no entries: it denies everything until entries are added. */
    NetworkAcl create(Caller caller, CreateNetworkAcl request);

    NetworkAcl get(Caller caller, String aclId);

    /** {@code CannotDelete} for the VPC's default ACL; {@code DependencyViolation} while a subnet uses it. */
    void delete(Caller caller, String aclId);

    /** {@code NetworkAclEntryAlreadyExists} if the ACL has an entry with that direction and rule number. */
    NetworkAclEntry addEntry(Caller caller, String aclId, CreateNetworkAclEntry request);

    void deleteEntry(Caller caller, String aclId, String direction, int ruleNumber);

    /** Makes the subnet (of the same VPC) use this ACL instead of the one it used. */
    NetworkAcl associate(Caller caller, String aclId, String subnetId);

    /** @param name optional; empty when {@code null} */
    record CreateNetworkAcl(String vpcId, String name) {
    }

    /** Ports follow {@link SecurityGroupService.CreateSecurityGroupRule}'s conventions. */
    record CreateNetworkAclEntry(Integer ruleNumber, String direction, String protocol, Integer fromPort,
                                 Integer toPort, String cidrBlock, String action) {
    }

    record Associate(String subnetId) {
    }
}
