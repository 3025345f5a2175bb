package io.goncloud.core.compute;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.SubnetEntity;

import javax.persistence.EntityManager;
import java.util.HashSet;
import java.util.Set;

/**
 * IPAM for instances' private addresses: the lowest free address from network+4 (the first three after the
 * network address are the router's and reserved, as in EC2) to the last before broadcast. An address is in
 * use while an {@code ip_allocations} row holds it; the row's primary key makes concurrent launches that
 * picked the same address fail, and the launch is retried.
 */
final class PrivateAddresses {

    static final long FIRST_USABLE_OFFSET = 4;

    private PrivateAddresses() {
    }

    static String allocate(EntityManager em, SubnetEntity subnet, String instanceId) {
        Cidr block = Cidr.parse(subnet.cidrBlock);
        Set<String> used = new HashSet<>(em.createNativeQuery("SELECT address FROM ip_allocations WHERE subnet_id = ?")
                .setParameter(1, subnet.id).getResultList().stream().map(String.class::cast).toList());
        for (long offset = FIRST_USABLE_OFFSET; offset < block.size() - 1; offset++) {
            String address = block.addressAt(offset);
            if (!used.contains(address)) {
                em.createNativeQuery("INSERT INTO ip_allocations (subnet_id, address, instance_id) VALUES (?, ?, ?)")
                        .setParameter(1, subnet.id).setParameter(2, address).setParameter(3, instanceId)
                        .executeUpdate();
                return address;
            }
        }
        throw new GcpException(ErrorCode.INSUFFICIENT_ADDRESSES, "The subnet " + subnet.id + " (" + subnet.cidrBlock
                + ") has no free address left");
    }

    static void release(EntityManager em, String instanceId) {
        em.createNativeQuery("DELETE FROM ip_allocations WHERE instance_id = ?").setParameter(1, instanceId)
                .executeUpdate();
    }
}
