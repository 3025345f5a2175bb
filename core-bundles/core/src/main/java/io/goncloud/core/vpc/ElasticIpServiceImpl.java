package io.goncloud.core.vpc;

import io.goncloud.core.quota.Quotas;
import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.ElasticIp;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.ElasticIpService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.PublicIpEntity;
import io.goncloud.core.persistence.VpcEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import java.util.List;
import java.util.Map;

@Component(service = ElasticIpService.class, configurationPid = "io.goncloud.publicips")
@Designate(ocd = ElasticIpServiceImpl.PublicIps.class)
public class ElasticIpServiceImpl implements ElasticIpService {

    @ObjectClassDefinition(name = "GCP public addresses")
    public @interface PublicIps {
        @AttributeDefinition(description = "The operator's block of public addresses (the provider network)")
        String pool_cidr() default PublicIpPool.DEFAULT_CIDR;

        @AttributeDefinition(description = "How many of the block's first addresses are kept for the network, "
                + "its gateway and routers' uplinks, and never handed out")
        int pool_reserved() default PublicIpPool.DEFAULT_RESERVED;

        @AttributeDefinition(description = "Host bridge standing for the outside (provider) network; connect it "
                + "to the uplink")
        String provider_bridge() default "gcp-provider";

        @AttributeDefinition(description = "Next hop to the internet on the provider network; empty: the "
                + "block's first address")
        String provider_gateway() default "";
    }

    /**
     * Concurrent allocations may pick the same lowest free address; the losers (the address is unique)
     * try again. Every lost race is another allocation's win, so N concurrent allocations need at most N.
     */
    static final int ALLOCATION_ATTEMPTS = 10;

    private final Database db;
    private final PublicIpPool pool;

    @Activate
    public ElasticIpServiceImpl(@Reference Database db, PublicIps config) {
        this(db, new PublicIpPool(config.pool_cidr(), config.pool_reserved()));
    }

    public ElasticIpServiceImpl(Database db, PublicIpPool pool) {
        this.db = db;
        this.pool = pool;
    }

    @Override
    public Page<ElasticIp> list(Caller caller, PageRequest page) {
        return db.read(em -> caller.isOperator()
                ? Paging.page(em, PublicIpEntity.class, "e.kind = 'elastic'", Map.of(), page, ElasticIpServiceImpl::toModels)
                : Paging.page(em, PublicIpEntity.class, "e.kind = 'elastic' AND e.userId = :owner",
                        Map.of("owner", caller.userId()), page, ElasticIpServiceImpl::toModels));
    }

    @Override
    public ElasticIp allocate(Caller caller, String ownerId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(em -> {
                    String owner = VpcServiceImpl.owner(em, caller, ownerId);
                    Quotas.require(em, owner, Quotas.Resource.ELASTIC_IPS, 1);
                    String address = pool.lowestFree(em);
                    if (address == null) {
                        throw new GcpException(ErrorCode.ADDRESS_LIMIT_EXCEEDED, "The public address pool "
                                + pool.block() + " has no free address left (" + pool.capacity() + " in all)");
                    }
                    PublicIpEntity row = PublicIpPool.newRow(address, PublicIpEntity.ELASTIC, owner);
                    em.persist(row);
                    em.flush();
                    return toModel(row);
                });
            } catch (PersistenceException e) {
                if (attempt >= ALLOCATION_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public ElasticIp get(Caller caller, String allocationId) {
        return db.read(em -> toModel(find(em, caller, allocationId, false)));
    }

    @Override
    public void release(Caller caller, String allocationId) {
        db.run(em -> {
            PublicIpEntity address = find(em, caller, allocationId, true);
            if (address.instanceId != null) {
                throw new GcpException(ErrorCode.ELASTIC_IP_IN_USE, "The address " + address.address
                        + " is associated with the instance " + address.instanceId + "; disassociate it first");
            }
            em.remove(address);
        });
    }

    @Override
    public ElasticIp associate(Caller caller, String allocationId, String instanceId) {
        String id = Check.id(allocationId, ErrorCode.ELASTIC_IP_MALFORMED, "allocation id");
        String instance = Check.id(instanceId, ErrorCode.INSTANCE_MALFORMED, "instance id");
        return db.inTransaction(em -> {
            PublicIpEntity address = find(em, caller, id, true);
            if (address.instanceId != null) {
                throw new GcpException(ErrorCode.RESOURCE_ALREADY_ASSOCIATED, "The address " + address.address
                        + " is already associated with the instance " + address.instanceId);
            }
            Instances.Row row = Instances.find(em, instance);
            if (row == null || row.terminated() || !caller.canSee(row.userId()) || !address.userId.equals(row.userId())) {
                throw new GcpException(ErrorCode.INSTANCE_NOT_FOUND, "The instance ID '" + instanceId + "' does not exist");
            }
            if (row.vpcId() == null) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "The instance '" + instance + "' is in no subnet, so it cannot have a public address");
            }
            // Locking the VPC serialises this with detaching its gateway and with other associations there.
            em.find(VpcEntity.class, row.vpcId(), LockModeType.PESSIMISTIC_WRITE);
            if (InternetGatewayServiceImpl.ofVpc(em, row.vpcId()) == null) {
                throw new GcpException(ErrorCode.GATEWAY_NOT_ATTACHED, "The VPC " + row.vpcId()
                        + " of the instance has no internet gateway attached");
            }
            PublicIpEntity current = em.createQuery("SELECT p FROM PublicIpEntity p WHERE p.instanceId = :instance",
                    PublicIpEntity.class).setParameter("instance", instance).getResultList().stream()
                    .findFirst().orElse(null);
            if (current != null && PublicIpEntity.ELASTIC.equals(current.kind)) {
                throw new GcpException(ErrorCode.RESOURCE_ALREADY_ASSOCIATED, "The instance " + instance
                        + " already has the elastic IP " + current.address);
            }
            if (current != null) {
                em.remove(current); // the address it got at launch goes back to the pool, as in EC2
                em.flush();
            }
            address.instanceId = instance;
            em.flush();
            Instances.setPublicIp(em, instance, address.address);
            return toModel(address);
        });
    }

    @Override
    public ElasticIp disassociate(Caller caller, String allocationId) {
        return db.inTransaction(em -> {
            PublicIpEntity address = find(em, caller, allocationId, true);
            if (address.instanceId == null) {
                throw new GcpException(ErrorCode.ASSOCIATION_NOT_FOUND,
                        "The address " + address.address + " is not associated with an instance");
            }
            String instance = address.instanceId;
            address.instanceId = null;
            em.flush();
            Instances.setPublicIp(em, instance, null);
            return toModel(address);
        });
    }

    /** The caller's elastic IP; with {@code lock}, the row is locked until the transaction ends. */
    private static PublicIpEntity find(EntityManager em, Caller caller, String allocationId, boolean lock) {
        String id = Check.id(allocationId, ErrorCode.ELASTIC_IP_MALFORMED, "allocation id");
        PublicIpEntity address = lock
                ? em.find(PublicIpEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                : em.find(PublicIpEntity.class, id);
        if (address == null || !PublicIpEntity.ELASTIC.equals(address.kind) || !caller.canSee(address.userId)) {
            throw new GcpException(ErrorCode.ELASTIC_IP_NOT_FOUND, "The allocation ID '" + allocationId + "' does not exist");
        }
        return address;
    }

    private static List<ElasticIp> toModels(List<PublicIpEntity> rows) {
        return rows.stream().map(ElasticIpServiceImpl::toModel).toList();
    }

    private static ElasticIp toModel(PublicIpEntity p) {
        return new ElasticIp(p.id, p.address, p.instanceId, p.userId, p.createdAt.toInstant());
    }
}
