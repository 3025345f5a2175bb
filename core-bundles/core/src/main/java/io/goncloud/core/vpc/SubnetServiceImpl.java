package io.goncloud.core.vpc;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.SubnetService;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.VpcEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import javax.persistence.EntityManager;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@Component(service = SubnetService.class, configurationPid = "io.goncloud.zones")
@Designate(ocd = SubnetServiceImpl.Zones.class)
public class SubnetServiceImpl implements SubnetService {

    @ObjectClassDefinition(name = "GCP availability zones")
    public @interface Zones {
        @AttributeDefinition(description = "The zones subnets may be placed in; the first is the default")
        String[] zones() default {"gcp-zone-1"};
    }

    private final Database db;
    private final List<String> zones;

    @Activate
    public SubnetServiceImpl(@Reference Database db, Zones config) {
        this(db, List.of(config.zones()));
    }

    public SubnetServiceImpl(Database db, List<String> zones) {
        this.db = db;
        this.zones = List.copyOf(zones);
    }

    @Override
    public Page<Subnet> list(Caller caller, String vpcId, PageRequest page) {
        return db.read(em -> {
            VpcScope scope = VpcScope.of(em, caller, vpcId);
            return Paging.page(em, SubnetEntity.class, scope.where(), scope.params(), page,
                    rows -> toModels(em, rows));
        });
    }

    @Override
    public Subnet create(Caller caller, CreateSubnet request) {
        String name = Check.requiredText(request.name(), "name", 255);
        Cidr cidr = Check.cidr(request.cidrBlock(), "cidr_block");
        String zone = zone(request.availabilityZone());
        return db.inTransaction(em -> {
            // Locking the VPC serialises subnet creation in it, so two overlapping subnets cannot both pass.
            VpcEntity vpc = VpcServiceImpl.find(em, caller, request.vpcId(), true);
            checkRange(cidr, Cidr.parse(vpc.cidrBlock));
            checkNoConflict(em, vpc.id, cidr);
            SubnetEntity subnet = new SubnetEntity();
            subnet.id = Database.newId();
            subnet.vpcId = vpc.id;
            subnet.name = name;
            subnet.cidrBlock = cidr.toString();
            subnet.availabilityZone = zone;
            subnet.isPublic = request.isPublic() == null || request.isPublic();
            subnet.mapPublicIpOnLaunch = request.mapPublicIpOnLaunch() != null && request.mapPublicIpOnLaunch();
            subnet.state = "available";
            subnet.createdAt = Database.now();
            subnet.updatedAt = subnet.createdAt;
            em.persist(subnet);
            em.flush();
            return toModels(em, List.of(subnet)).get(0);
        });
    }

    @Override
    public Subnet get(Caller caller, String subnetId) {
        return db.read(em -> toModels(em, List.of(find(em, caller, subnetId))).get(0));
    }

    @Override
    public Subnet update(Caller caller, String subnetId, UpdateSubnet request) {
        String name = request.name() == null ? null : Check.requiredText(request.name(), "name", 255);
        if (name == null && request.isPublic() == null && request.mapPublicIpOnLaunch() == null) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER,
                    "Nothing to update: give name, is_public and/or map_public_ip_on_launch");
        }
        return db.inTransaction(em -> {
            SubnetEntity subnet = find(em, caller, subnetId);
            if (name != null) {
                subnet.name = name;
            }
            if (request.isPublic() != null) {
                subnet.isPublic = request.isPublic();
            }
            if (request.mapPublicIpOnLaunch() != null) {
                subnet.mapPublicIpOnLaunch = request.mapPublicIpOnLaunch();
            }
            subnet.updatedAt = VpcServiceImpl.later(subnet.updatedAt);
            return toModels(em, List.of(subnet)).get(0);
        });
    }

    @Override
    public void delete(Caller caller, String subnetId) {
        db.run(em -> {
            SubnetEntity subnet = find(em, caller, subnetId);
            long instances = activeInstances(em, List.of(subnet.id)).getOrDefault(subnet.id, 0L);
            if (instances > 0) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The subnet '" + subnet.id
                        + "' has dependencies and cannot be deleted: " + instances + " instance(s)");
            }
            em.remove(subnet);
        });
    }

    private String zone(String requested) {
        if (requested == null) {
            return zones.get(0);
        }
        if (!zones.contains(requested)) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Value (" + requested
                    + ") for parameter availability_zone is invalid: this platform's zones are " + zones);
        }
        return requested;
    }

    private static void checkRange(Cidr subnet, Cidr vpc) {
        if (subnet.prefixLength() < VpcServiceImpl.MIN_PREFIX || subnet.prefixLength() > VpcServiceImpl.MAX_PREFIX) {
            throw new GcpException(ErrorCode.SUBNET_RANGE, "The CIDR '" + subnet + "' is invalid: a subnet's prefix "
                    + "length must be between /" + VpcServiceImpl.MIN_PREFIX + " and /" + VpcServiceImpl.MAX_PREFIX);
        }
        if (!vpc.contains(subnet)) {
            throw new GcpException(ErrorCode.SUBNET_RANGE,
                    "The CIDR '" + subnet + "' is invalid: it is not within the VPC's block " + vpc);
        }
    }

    private static void checkNoConflict(EntityManager em, String vpcId, Cidr cidr) {
        for (SubnetEntity other : em.createQuery("SELECT e FROM SubnetEntity e WHERE e.vpcId = :vpc", SubnetEntity.class)
                .setParameter("vpc", vpcId).getResultList()) {
            if (Cidr.parse(other.cidrBlock).overlaps(cidr)) {
                throw new GcpException(ErrorCode.SUBNET_CONFLICT, "The CIDR '" + cidr
                        + "' conflicts with another subnet: " + other.id + " (" + other.cidrBlock + ")");
            }
        }
    }

    /** The caller's subnet with this id; another tenant's subnet is reported exactly like a missing one. */
    static SubnetEntity find(EntityManager em, Caller caller, String subnetId) {
        String id = Check.id(subnetId, ErrorCode.SUBNET_MALFORMED, "subnet id");
        SubnetEntity subnet = em.find(SubnetEntity.class, id);
        VpcEntity vpc = subnet == null ? null : em.find(VpcEntity.class, subnet.vpcId);
        if (vpc == null || !caller.canSee(vpc.userId)) {
            throw new GcpException(ErrorCode.SUBNET_NOT_FOUND, "The subnet ID '" + subnetId + "' does not exist");
        }
        return subnet;
    }

    /** Instances holding an address in each subnet (everything but terminated ones). */
    private static Map<String, Long> activeInstances(EntityManager em, List<String> subnetIds) {
        Map<String, Long> counts = new HashMap<>();
        if (subnetIds.isEmpty()) {
            return counts;
        }
        String placeholders = String.join(",", Collections.nCopies(subnetIds.size(), "?"));
        var query = em.createNativeQuery("SELECT CAST(subnet_id AS VARCHAR(36)), COUNT(*) FROM instances "
                + "WHERE state <> 'terminated' AND subnet_id IN (" + placeholders + ") GROUP BY subnet_id");
        for (int i = 0; i < subnetIds.size(); i++) {
            query.setParameter(i + 1, subnetIds.get(i));
        }
        for (Object row : query.getResultList()) {
            Object[] cols = (Object[]) row;
            counts.put(cols[0].toString(), ((Number) cols[1]).longValue());
        }
        return counts;
    }

    private static List<Subnet> toModels(EntityManager em, List<SubnetEntity> rows) {
        Map<String, Long> used = activeInstances(em, rows.stream().map(s -> s.id).toList());
        return rows.stream().map(s -> new Subnet(s.id, s.vpcId, s.name, s.cidrBlock, s.availabilityZone, s.isPublic,
                s.mapPublicIpOnLaunch,
                Cidr.parse(s.cidrBlock).usableSubnetAddresses() - used.getOrDefault(s.id, 0L),
                s.state, s.createdAt.toInstant(), s.updatedAt.toInstant())).toList();
    }
}
