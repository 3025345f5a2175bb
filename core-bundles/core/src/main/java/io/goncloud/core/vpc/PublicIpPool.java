package io.goncloud.core.vpc;

import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.PublicIpEntity;

import javax.persistence.EntityManager;
import java.util.HashSet;
import java.util.Set;

/**
 * The operator's pool of public addresses ({@code io.goncloud.publicips}): the block's first
 * {@code reserved} addresses (network address, the outside gateway, routers' uplinks) and its broadcast
 * address are never handed out; the others go to elastic IPs, to addresses assigned at launch and to
 * the uplinks of attached internet gateways. An address is in use while a {@code public_ips} row or a
 * gateway holds it.
 */
public final class PublicIpPool {

    public static final String DEFAULT_CIDR = "203.0.113.0/24";
    public static final int DEFAULT_RESERVED = 16;

    private final Cidr block;
    private final int reserved;

    public PublicIpPool(String cidr, int reserved) {
        try {
            this.block = Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pool.cidr is not a valid block: " + e.getMessage(), e);
        }
        if (block.prefixLength() > 30) {
            throw new IllegalArgumentException("pool.cidr " + block + " is too small: give a /30 or larger block");
        }
        if (reserved < 1 || reserved >= block.size() - 1) {
            throw new IllegalArgumentException("pool.reserved must be between 1 and " + (block.size() - 2)
                    + " for " + block + ", got " + reserved);
        }
        this.reserved = reserved;
    }

    public Cidr block() {
        return block;
    }

    /** How many addresses the pool can hand out. */
    public long capacity() {
        return block.size() - reserved - 1;
    }

    /** The lowest address of the pool that no row holds, or {@code null} when all are taken. */
    public String lowestFree(EntityManager em) {
        Set<String> used = new HashSet<>(em.createQuery("SELECT p.address FROM PublicIpEntity p", String.class)
                .getResultList());
        used.addAll(em.createQuery("SELECT g.uplinkAddress FROM InternetGatewayEntity g "
                + "WHERE g.uplinkAddress IS NOT NULL", String.class).getResultList());
        for (long offset = reserved; offset < block.size() - 1; offset++) {
            String address = block.addressAt(offset);
            if (!used.contains(address)) {
                return address;
            }
        }
        return null;
    }

    static PublicIpEntity newRow(String address, String kind, String userId) {
        PublicIpEntity row = new PublicIpEntity();
        row.id = Database.newId();
        row.address = address;
        row.kind = kind;
        row.userId = userId;
        row.createdAt = Database.now();
        return row;
    }
}
