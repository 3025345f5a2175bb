package io.goncloud.core.vpc;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.InternetGateway;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InternetGatewayService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.InternetGatewayEntity;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.VpcEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.util.List;
import java.util.Map;

@Component(service = InternetGatewayService.class, configurationPid = "io.goncloud.publicips")
public class InternetGatewayServiceImpl implements InternetGatewayService {

    static final String ATTACHED = "attached";
    static final String DETACHED = "detached";

    private final Database db;

    private final PublicIpPool pool;

    @Activate
    public InternetGatewayServiceImpl(@Reference Database db, ElasticIpServiceImpl.PublicIps config) {
        this(db, new PublicIpPool(config.pool_cidr(), config.pool_reserved()));
    }

    public InternetGatewayServiceImpl(Database db) {
        this(db, new PublicIpPool(PublicIpPool.DEFAULT_CIDR, PublicIpPool.DEFAULT_RESERVED));
    }

    public InternetGatewayServiceImpl(Database db, PublicIpPool pool) {
        this.db = db;
        this.pool = pool;
    }

    @Override
    public Page<InternetGateway> list(Caller caller, PageRequest page) {
        return db.read(em -> caller.isOperator()
                ? Paging.page(em, InternetGatewayEntity.class, null, Map.of(), page, InternetGatewayServiceImpl::toModels)
                : Paging.page(em, InternetGatewayEntity.class, "e.userId = :owner", Map.of("owner", caller.userId()),
                        page, InternetGatewayServiceImpl::toModels));
    }

    @Override
    public InternetGateway create(Caller caller, CreateInternetGateway request, String ownerId) {
        String name = Check.optionalText(request.name(), "name", 255);
        return db.inTransaction(em -> {
            InternetGatewayEntity gateway = new InternetGatewayEntity();
            gateway.id = Database.newId();
            gateway.name = name == null ? "" : name;
            gateway.userId = VpcServiceImpl.owner(em, caller, ownerId);
            gateway.state = DETACHED;
            gateway.createdAt = Database.now();
            gateway.updatedAt = gateway.createdAt;
            em.persist(gateway);
            em.flush();
            return toModel(gateway);
        });
    }

    @Override
    public InternetGateway get(Caller caller, String gatewayId) {
        return db.read(em -> toModel(find(em, caller, gatewayId, false)));
    }

    @Override
    public void delete(Caller caller, String gatewayId) {
        db.run(em -> {
            InternetGatewayEntity gateway = find(em, caller, gatewayId, true);
            if (gateway.vpcId != null) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The internetGateway '" + gateway.id
                        + "' has dependencies and cannot be deleted: it is attached to the VPC " + gateway.vpcId);
            }
            em.remove(gateway);
        });
    }

    @Override
    public InternetGateway attach(Caller caller, String gatewayId, String vpcId) {
        String id = Check.id(gatewayId, ErrorCode.INTERNET_GATEWAY_MALFORMED, "internet gateway id");
        return db.inTransaction(em -> {
            // The VPC first, then the gateway: the order every change to a VPC's networking locks in.
            VpcEntity vpc = VpcServiceImpl.find(em, caller, vpcId, true);
            InternetGatewayEntity gateway = find(em, caller, id, true);
            if (gateway.vpcId != null) {
                throw new GcpException(ErrorCode.RESOURCE_ALREADY_ASSOCIATED, "The internet gateway '" + gateway.id
                        + "' is already attached to the VPC " + gateway.vpcId);
            }
            InternetGatewayEntity other = ofVpc(em, vpc.id);
            if (other != null) {
                throw new GcpException(ErrorCode.RESOURCE_ALREADY_ASSOCIATED, "The VPC '" + vpc.id
                        + "' already has an internet gateway attached: " + other.id);
            }
            if (!gateway.userId.equals(vpc.userId)) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The internet gateway '" + gateway.id
                        + "' and the VPC '" + vpc.id + "' have different owners");
            }
            String uplink = pool.lowestFree(em);
            if (uplink == null) {
                throw new GcpException(ErrorCode.ADDRESS_LIMIT_EXCEEDED, "The public address pool " + pool.block()
                        + " has no free address left for the gateway's router uplink");
            }
            gateway.vpcId = vpc.id;
            gateway.uplinkAddress = uplink;
            gateway.state = ATTACHED;
            gateway.updatedAt = VpcServiceImpl.later(gateway.updatedAt);
            em.flush();
            return toModel(gateway);
        });
    }

    @Override
    public InternetGateway detach(Caller caller, String gatewayId, String vpcId) {
        String id = Check.id(gatewayId, ErrorCode.INTERNET_GATEWAY_MALFORMED, "internet gateway id");
        return db.inTransaction(em -> {
            VpcEntity vpc = VpcServiceImpl.find(em, caller, vpcId, true);
            InternetGatewayEntity gateway = find(em, caller, id, true);
            if (!vpc.id.equals(gateway.vpcId)) {
                throw new GcpException(ErrorCode.GATEWAY_NOT_ATTACHED, "The internet gateway '" + gateway.id
                        + "' is not attached to the VPC '" + vpc.id + "'");
            }
            long routes = em.createQuery("SELECT COUNT(r) FROM RouteEntity r WHERE r.targetType = 'igw' "
                    + "AND r.targetId = :gateway", Long.class).setParameter("gateway", gateway.id).getSingleResult();
            if (routes > 0) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The internet gateway '" + gateway.id
                        + "' has dependencies and cannot be detached: " + routes + " route(s) target it");
            }
            long mapped = publicAddressesIn(em, vpc.id);
            if (mapped > 0) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The VPC '" + vpc.id + "' has " + mapped
                        + " public address(es) mapped to its instances; disassociate them before detaching the gateway");
            }
            gateway.vpcId = null;
            gateway.uplinkAddress = null;
            gateway.state = DETACHED;
            gateway.updatedAt = VpcServiceImpl.later(gateway.updatedAt);
            em.flush();
            return toModel(gateway);
        });
    }

    /** The gateway attached to the VPC, or {@code null}. */
    static InternetGatewayEntity ofVpc(EntityManager em, String vpcId) {
        return em.createQuery("SELECT g FROM InternetGatewayEntity g WHERE g.vpcId = :vpc", InternetGatewayEntity.class)
                .setParameter("vpc", vpcId).getResultList().stream().findFirst().orElse(null);
    }

    /** Public addresses (automatic or elastic) mapped to instances of the VPC. */
    private static long publicAddressesIn(EntityManager em, String vpcId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM public_ips p JOIN instances i ON i.id = p.instance_id "
                        + "JOIN subnets s ON s.id = i.subnet_id WHERE s.vpc_id = ?")
                .setParameter(1, vpcId).getSingleResult()).longValue();
    }

    /** The caller's gateway; with {@code lock}, the row is locked until the transaction ends. */
    private static InternetGatewayEntity find(EntityManager em, Caller caller, String gatewayId, boolean lock) {
        String id = Check.id(gatewayId, ErrorCode.INTERNET_GATEWAY_MALFORMED, "internet gateway id");
        InternetGatewayEntity gateway = lock
                ? em.find(InternetGatewayEntity.class, id, LockModeType.PESSIMISTIC_WRITE)
                : em.find(InternetGatewayEntity.class, id);
        if (gateway == null || !caller.canSee(gateway.userId)) {
            throw new GcpException(ErrorCode.INTERNET_GATEWAY_NOT_FOUND,
                    "The internetGateway ID '" + gatewayId + "' does not exist");
        }
        return gateway;
    }

    private static List<InternetGateway> toModels(List<InternetGatewayEntity> rows) {
        return rows.stream().map(InternetGatewayServiceImpl::toModel).toList();
    }

    private static InternetGateway toModel(InternetGatewayEntity g) {
        return new InternetGateway(g.id, g.name, g.vpcId, g.state, g.userId, g.createdAt.toInstant(),
                g.updatedAt.toInstant());
    }
}
