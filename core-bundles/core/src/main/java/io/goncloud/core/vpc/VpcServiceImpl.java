package io.goncloud.core.vpc;

import io.goncloud.core.quota.Quotas;
import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.VpcService;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.UserEntity;
import io.goncloud.core.persistence.VpcEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Component(service = VpcService.class)
public class VpcServiceImpl implements VpcService {

    static final int MIN_PREFIX = 16;
    static final int MAX_PREFIX = 28;

    private final Database db;

    @Activate
    public VpcServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Page<Vpc> list(Caller caller, PageRequest page) {
        return db.read(em -> caller.isOperator()
                ? Paging.page(em, VpcEntity.class, null, Map.of(), page, rows -> toModels(em, rows))
                : Paging.page(em, VpcEntity.class, "e.userId = :owner", Map.of("owner", caller.userId()), page,
                        rows -> toModels(em, rows)));
    }

    @Override
    public Vpc create(Caller caller, CreateVpc request, String ownerId) {
        String name = Check.requiredText(request.name(), "name", 255);
        String description = Check.optionalText(request.description(), "description", 255);
        Cidr cidr = Check.cidr(request.cidrBlock(), "cidr_block");
        if (cidr.prefixLength() < MIN_PREFIX || cidr.prefixLength() > MAX_PREFIX) {
            throw new GcpException(ErrorCode.VPC_RANGE, "The CIDR '" + cidr + "' is invalid: a VPC's prefix length "
                    + "must be between /" + MIN_PREFIX + " and /" + MAX_PREFIX);
        }
        return db.inTransaction(em -> {
            String owner = owner(em, caller, ownerId);
            Quotas.require(em, owner, Quotas.Resource.VPCS, 1);
            VpcEntity vpc = new VpcEntity();
            vpc.id = Database.newId();
            vpc.name = name;
            vpc.cidrBlock = cidr.toString();
            vpc.description = description;
            vpc.state = "available";
            vpc.userId = owner;
            vpc.createdAt = Database.now();
            vpc.updatedAt = vpc.createdAt;
            em.persist(vpc);
            em.flush();
            VpcDefaults.create(em, vpc);
            em.flush();
            return toModels(em, List.of(vpc)).get(0);
        });
    }

    @Override
    public Vpc get(Caller caller, String vpcId) {
        return db.read(em -> toModels(em, List.of(find(em, caller, vpcId, false))).get(0));
    }

    @Override
    public Vpc update(Caller caller, String vpcId, UpdateVpc request) {
        String name = request.name() == null ? null : Check.requiredText(request.name(), "name", 255);
        String description = Check.optionalText(request.description(), "description", 255);
        if (name == null && description == null) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER,
                    "Nothing to update: give name and/or description (a VPC's cidr_block cannot change)");
        }
        return db.inTransaction(em -> {
            VpcEntity vpc = find(em, caller, vpcId, true);
            if (name != null) {
                vpc.name = name;
            }
            if (description != null) {
                vpc.description = description;
            }
            vpc.updatedAt = later(vpc.updatedAt);
            return toModels(em, List.of(vpc)).get(0);
        });
    }

    @Override
    public void delete(Caller caller, String vpcId) {
        db.run(em -> {
            VpcEntity vpc = find(em, caller, vpcId, true);
            List<String> dependents = VpcDefaults.dependents(em, vpc.id);
            if (!dependents.isEmpty()) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The vpc '" + vpc.id
                        + "' has dependencies and cannot be deleted: " + String.join(", ", dependents));
            }
            // The main route table, default security group and default ACL go with it (ON DELETE CASCADE).
            em.remove(vpc);
        });
    }

    /**
     * The caller's VPC with this id; another tenant's VPC is reported exactly like a missing one.
     *
     * @param lock whether to lock the row until the transaction ends, serialising changes to the VPC
     */
    static VpcEntity find(EntityManager em, Caller caller, String vpcId, boolean lock) {
        String id = Check.id(vpcId, ErrorCode.VPC_MALFORMED, "vpc id");
        VpcEntity vpc = lock ? em.find(VpcEntity.class, id, LockModeType.PESSIMISTIC_WRITE) : em.find(VpcEntity.class, id);
        if (vpc == null || !caller.canSee(vpc.userId)) {
            throw new GcpException(ErrorCode.VPC_NOT_FOUND, "The vpc ID '" + vpcId + "' does not exist");
        }
        return vpc;
    }

    /** The owner of a new resource: the tenant itself, or the user the operator names. */
    static String owner(EntityManager em, Caller caller, String ownerId) {
        if (!caller.isOperator()) {
            return caller.userId();
        }
        String id = Check.id(ownerId, ErrorCode.INVALID_PARAMETER_VALUE, "owner user id");
        if (em.find(UserEntity.class, id) == null) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "No user has the id '" + ownerId + "'");
        }
        return id;
    }

    /** A timestamp after {@code previous}, even when the clock has not moved a microsecond since. */
    static OffsetDateTime later(OffsetDateTime previous) {
        OffsetDateTime now = Database.now();
        return now.isAfter(previous) ? now : previous.plusNanos(1000);
    }

    private static List<Vpc> toModels(EntityManager em, List<VpcEntity> rows) {
        VpcDefaults.Ids defaults = VpcDefaults.idsOf(em, rows.stream().map(v -> v.id).toList());
        List<Vpc> models = new ArrayList<>(rows.size());
        for (VpcEntity v : rows) {
            models.add(new Vpc(v.id, v.name, v.cidrBlock, v.description, v.state, v.userId,
                    defaults.mainRouteTables().get(v.id), defaults.securityGroups().get(v.id),
                    defaults.networkAcls().get(v.id), v.createdAt.toInstant(), v.updatedAt.toInstant()));
        }
        return models;
    }
}
