package io.goncloud.api.service;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.SecurityGroup;
import io.goncloud.api.model.SecurityGroupRule;

/** Security groups and their rules, with EC2 semantics. Scoped to the caller. */
public interface SecurityGroupService {

    /** @param vpcId only this VPC's groups, or all the caller's when {@code null} */
    Page<SecurityGroup> list(Caller caller, String vpcId, PageRequest page);

    /**
     * A new group with no inbound rule and one outbound rule allowing everything.
     * {@code InvalidGroup.Duplicate} if the VPC has a group of that name.
     */
    SecurityGroup create(Caller caller, CreateSecurityGroup request);

    SecurityGroup get(Caller caller, String groupId);

    /** Renames or re-describes the group; the default group keeps its name. */
    SecurityGroup update(Caller caller, String groupId, UpdateSecurityGroup request);

    /**
     * {@code CannotDelete} for the VPC's default group; {@code DependencyViolation} while an instance uses
     * it or another group's rule names it.
     */
    void delete(Caller caller, String groupId);

    /** {@code InvalidPermission.Duplicate} if the group has the same rule already. */
    SecurityGroupRule addRule(Caller caller, String groupId, CreateSecurityGroupRule request);

    void deleteRule(Caller caller, String groupId, String ruleId);

    record CreateSecurityGroup(String vpcId, String name, String description) {
    }

    /** Fields left {@code null} are left unchanged. */
    record UpdateSecurityGroup(String name, String description) {
    }

    /**
     * @param fromPort tcp/udp: required, 0-65535; icmp: ICMP type 0-255 or -1 for all (default -1);
     *                 all: omitted, or 0 with {@code toPort} 65535, or -1 with -1
     * @param toPort   tcp/udp: required, at least {@code fromPort}; icmp: ICMP code 0-255 or -1 (default -1;
     *                 must be -1 when the type is -1)
     * @param source   a CIDR block, or the id of a security group of the same VPC
     */
    record CreateSecurityGroupRule(String direction, String protocol, Integer fromPort, Integer toPort,
                                   String source, String description) {
    }
}
