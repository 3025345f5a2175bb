package io.goncloud.api.service;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Subnet;

/** Subnets with EC2 semantics. All methods are scoped to the caller. */
public interface SubnetService {

    /** @param vpcId only this VPC's subnets, or all the caller's when {@code null} */
    Page<Subnet> list(Caller caller, String vpcId, PageRequest page);

    Subnet create(Caller caller, CreateSubnet request);

    Subnet get(Caller caller, String subnetId);

    Subnet update(Caller caller, String subnetId, UpdateSubnet request);

    void delete(Caller caller, String subnetId);

    /** @param availabilityZone defaults to the platform's zone when {@code null} */
    record CreateSubnet(String vpcId, String name, String cidrBlock, String availabilityZone,
                        Boolean isPublic, Boolean mapPublicIpOnLaunch) {
    }

    /** Fields left {@code null} are left unchanged. */
    record UpdateSubnet(String name, Boolean isPublic, Boolean mapPublicIpOnLaunch) {
    }
}
