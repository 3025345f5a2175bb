package io.goncloud.core.vpc;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.service.Caller;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.VpcEntity;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lookups of rows that belong to a VPC (route tables, security groups, network ACLs), which are owned
 * by the VPC's owner. Every change to such a row first locks its VPC, so that changes in one VPC are
 * serialised and checks such as "no route targets this gateway" cannot race the writes they guard.
 */
final class VpcScoped {

    private VpcScoped() {
    }

    /** A row and its VPC. */
    record Found<E>(E row, VpcEntity vpc) {
    }

    /**
     * The row of {@code type} with this id as the caller sees it; another tenant's row is reported by
     * {@code notFound} exactly like a missing one.
     *
     * @param id   an id already checked to be well-formed
     * @param lock whether to lock the row's VPC (before the row is read) until the transaction ends
     */
    static <E> Found<E> find(EntityManager em, Caller caller, Class<E> type, String id, boolean lock,
                             Supplier<GcpException> notFound) {
        List<String> vpcIds = em.createQuery("SELECT e.vpcId FROM " + type.getSimpleName() + " e WHERE e.id = :id",
                        String.class)
                .setParameter("id", id).getResultList();
        if (vpcIds.isEmpty() || vpcIds.get(0) == null) {
            throw notFound.get();
        }
        VpcEntity vpc = lock
                ? em.find(VpcEntity.class, vpcIds.get(0), LockModeType.PESSIMISTIC_WRITE)
                : em.find(VpcEntity.class, vpcIds.get(0));
        if (vpc == null || !caller.canSee(vpc.userId)) {
            throw notFound.get();
        }
        E row = em.find(type, id); // read after the lock, so a concurrent delete is seen
        if (row == null) {
            throw notFound.get();
        }
        return new Found<>(row, vpc);
    }

    /** The VPC's subnet with this id as the caller sees it; {@code InvalidParameterValue} if it is in another VPC. */
    static SubnetEntity subnetOf(EntityManager em, Caller caller, VpcEntity vpc, String subnetId, String what) {
        SubnetEntity subnet = SubnetServiceImpl.find(em, caller, subnetId);
        if (!subnet.vpcId.equals(vpc.id)) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The subnet '" + subnet.id
                    + "' is in another VPC than the " + what + " (" + vpc.id + ")");
        }
        return subnet;
    }
}
