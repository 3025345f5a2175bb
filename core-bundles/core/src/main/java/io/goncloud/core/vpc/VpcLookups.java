package io.goncloud.core.vpc;

import io.goncloud.api.service.Caller;
import io.goncloud.core.persistence.SecurityGroupEntity;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.VpcEntity;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.util.List;

/** The networking lookups other services (instances) need, with the same scoping and error codes. */
public final class VpcLookups {

    private VpcLookups() {
    }

    /** The caller's subnet; {@code InvalidSubnetID.*} otherwise. */
    public static SubnetEntity subnet(EntityManager em, Caller caller, String subnetId) {
        return SubnetServiceImpl.find(em, caller, subnetId);
    }

    /** The caller's security group; {@code InvalidGroup*} otherwise. */
    public static SecurityGroupEntity securityGroup(EntityManager em, Caller caller, String groupId) {
        return SecurityGroupServiceImpl.find(em, caller, groupId, false).row();
    }

    /** The VPC's default security group. */
    public static SecurityGroupEntity defaultSecurityGroup(EntityManager em, String vpcId) {
        List<SecurityGroupEntity> groups = em.createQuery("SELECT g FROM SecurityGroupEntity g "
                        + "WHERE g.vpcId = :vpc AND g.isDefault = true", SecurityGroupEntity.class)
                .setParameter("vpc", vpcId).getResultList();
        return groups.isEmpty() ? null : groups.get(0);
    }

    /** Locks the VPC until the transaction ends: serialises this with the VPC's other changes. */
    public static VpcEntity lockVpc(EntityManager em, String vpcId) {
        return em.find(VpcEntity.class, vpcId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** A new row for an address given to an instance at launch. */
    public static void assignLaunchAddress(EntityManager em, String address, String userId, String instanceId) {
        var row = PublicIpPool.newRow(address, io.goncloud.core.persistence.PublicIpEntity.AUTO, userId);
        row.instanceId = instanceId;
        em.persist(row);
    }
}
