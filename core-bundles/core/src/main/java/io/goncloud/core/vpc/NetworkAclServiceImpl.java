package io.goncloud.core.vpc;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.NetworkAcl;
import io.goncloud.api.model.NetworkAclEntry;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.NetworkAclService;
import io.goncloud.core.net.Cidr;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.NetworkAclAssociationEntity;
import io.goncloud.core.persistence.NetworkAclEntity;
import io.goncloud.core.persistence.NetworkAclEntryEntity;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.SubnetEntity;
import io.goncloud.core.persistence.VpcEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Component(service = NetworkAclService.class)
public class NetworkAclServiceImpl implements NetworkAclService {

    static final int MIN_RULE_NUMBER = 1;
    static final int MAX_RULE_NUMBER = 32766;
    static final Set<String> ACTIONS = Set.of("allow", "deny");

    private final Database db;

    @Activate
    public NetworkAclServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Page<NetworkAcl> list(Caller caller, String vpcId, PageRequest page) {
        return db.read(em -> {
            VpcScope scope = VpcScope.of(em, caller, vpcId);
            return Paging.page(em, NetworkAclEntity.class, scope.where(), scope.params(), page, rows -> toModels(em, rows));
        });
    }

    @Override
    public NetworkAcl create(Caller caller, CreateNetworkAcl request) {
        String name = Check.optionalText(request.name(), "name", 255);
        return db.inTransaction(em -> {
            VpcEntity vpc = VpcServiceImpl.find(em, caller, request.vpcId(), true);
            NetworkAclEntity acl = new NetworkAclEntity();
            acl.id = Database.newId();
            acl.vpcId = vpc.id;
            acl.name = name == null ? "" : name;
            acl.isDefault = false;
            acl.createdAt = Database.now();
            acl.updatedAt = acl.createdAt;
            em.persist(acl);
            em.flush();
            return toModels(em, List.of(acl)).get(0);
        });
    }

    @Override
    public NetworkAcl get(Caller caller, String aclId) {
        return db.read(em -> toModels(em, List.of(find(em, caller, aclId, false).row())).get(0));
    }

    @Override
    public void delete(Caller caller, String aclId) {
        db.run(em -> {
            NetworkAclEntity acl = find(em, caller, aclId, true).row();
            if (acl.isDefault) {
                throw new GcpException(ErrorCode.CANNOT_DELETE, "The network ACL '" + acl.id
                        + "' is its VPC's default ACL and goes only with the VPC");
            }
            long subnets = em.createQuery("SELECT COUNT(a) FROM NetworkAclAssociationEntity a WHERE a.networkAclId = :acl",
                    Long.class).setParameter("acl", acl.id).getSingleResult();
            if (subnets > 0) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The networkAcl '" + acl.id
                        + "' has dependencies and cannot be deleted: " + subnets + " associated subnet(s)");
            }
            em.remove(acl); // its entries go with it (ON DELETE CASCADE)
        });
    }

    @Override
    public NetworkAclEntry addEntry(Caller caller, String aclId, CreateNetworkAclEntry request) {
        if (request.ruleNumber() == null) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter rule_number");
        }
        int ruleNumber = ruleNumber(request.ruleNumber());
        String direction = PacketRules.direction(request.direction());
        String protocol = PacketRules.protocol(request.protocol());
        PacketRules.Ports ports = PacketRules.ports(protocol, request.fromPort(), request.toPort());
        Cidr cidr = Check.cidr(request.cidrBlock(), "cidr_block");
        String action = PacketRules.oneOf(request.action(), "action", ACTIONS);
        return db.inTransaction(em -> {
            NetworkAclEntity acl = find(em, caller, aclId, true).row();
            if (entry(em, acl.id, direction, ruleNumber) != null) {
                throw new GcpException(ErrorCode.NETWORK_ACL_ENTRY_EXISTS, "The network ACL '" + acl.id
                        + "' already has an " + direction + " entry with rule number " + ruleNumber);
            }
            NetworkAclEntryEntity entry = new NetworkAclEntryEntity();
            entry.id = Database.newId();
            entry.networkAclId = acl.id;
            entry.ruleNumber = ruleNumber;
            entry.direction = direction;
            entry.protocol = protocol;
            entry.fromPort = ports.from();
            entry.toPort = ports.to();
            entry.cidrBlock = cidr.toString();
            entry.action = action;
            em.persist(entry);
            acl.updatedAt = VpcServiceImpl.later(acl.updatedAt);
            em.flush();
            return toModel(entry);
        });
    }

    @Override
    public void deleteEntry(Caller caller, String aclId, String direction, int ruleNumber) {
        String checkedDirection = PacketRules.direction(direction);
        int checkedNumber = ruleNumber(ruleNumber);
        db.run(em -> {
            NetworkAclEntity acl = find(em, caller, aclId, true).row();
            NetworkAclEntryEntity entry = entry(em, acl.id, checkedDirection, checkedNumber);
            if (entry == null) {
                throw new GcpException(ErrorCode.NETWORK_ACL_ENTRY_NOT_FOUND, "The network ACL '" + acl.id
                        + "' has no " + checkedDirection + " entry with rule number " + checkedNumber);
            }
            em.remove(entry);
            acl.updatedAt = VpcServiceImpl.later(acl.updatedAt);
        });
    }

    @Override
    public NetworkAcl associate(Caller caller, String aclId, String subnetId) {
        return db.inTransaction(em -> {
            VpcScoped.Found<NetworkAclEntity> found = find(em, caller, aclId, true);
            NetworkAclEntity acl = found.row();
            SubnetEntity subnet = VpcScoped.subnetOf(em, caller, found.vpc(), subnetId, "network ACL");
            NetworkAclAssociationEntity association = em.createQuery(
                            "SELECT a FROM NetworkAclAssociationEntity a WHERE a.subnetId = :subnet",
                            NetworkAclAssociationEntity.class)
                    .setParameter("subnet", subnet.id).getResultList().stream().findFirst().orElse(null);
            String previousId = association != null ? association.networkAclId : defaultAclId(em, acl.vpcId);
            if (previousId.equals(acl.id)) {
                return toModels(em, List.of(acl)).get(0); // the subnet uses this ACL already
            }
            // A subnet without a row uses the default ACL, so moving to the default removes the row.
            if (acl.isDefault) {
                em.remove(association);
            } else if (association != null) {
                association.networkAclId = acl.id;
                association.createdAt = Database.now();
            } else {
                association = new NetworkAclAssociationEntity();
                association.id = Database.newId();
                association.networkAclId = acl.id;
                association.subnetId = subnet.id;
                association.createdAt = Database.now();
                em.persist(association);
            }
            NetworkAclEntity previous = em.find(NetworkAclEntity.class, previousId);
            previous.updatedAt = VpcServiceImpl.later(previous.updatedAt);
            acl.updatedAt = VpcServiceImpl.later(acl.updatedAt);
            em.flush();
            return toModels(em, List.of(acl)).get(0);
        });
    }

    private static String defaultAclId(EntityManager em, String vpcId) {
        return em.createQuery("SELECT a.id FROM NetworkAclEntity a WHERE a.vpcId = :vpc AND a.isDefault = true",
                String.class).setParameter("vpc", vpcId).getSingleResult();
    }

    private static int ruleNumber(int ruleNumber) {
        if (ruleNumber < MIN_RULE_NUMBER || ruleNumber > MAX_RULE_NUMBER) {
            throw new GcpException(ErrorCode.NETWORK_ACL_ENTRY_RANGE, "rule_number must be between " + MIN_RULE_NUMBER
                    + " and " + MAX_RULE_NUMBER + ", got " + ruleNumber);
        }
        return ruleNumber;
    }

    private static NetworkAclEntryEntity entry(EntityManager em, String aclId, String direction, int ruleNumber) {
        return em.createQuery("SELECT e FROM NetworkAclEntryEntity e WHERE e.networkAclId = :acl "
                        + "AND e.direction = :direction AND e.ruleNumber = :number", NetworkAclEntryEntity.class)
                .setParameter("acl", aclId).setParameter("direction", direction).setParameter("number", ruleNumber)
                .getResultList().stream().findFirst().orElse(null);
    }

    /** The caller's ACL; with {@code lock}, its VPC is locked first. */
    static VpcScoped.Found<NetworkAclEntity> find(EntityManager em, Caller caller, String aclId, boolean lock) {
        String id = Check.id(aclId, ErrorCode.NETWORK_ACL_MALFORMED, "network ACL id");
        return VpcScoped.find(em, caller, NetworkAclEntity.class, id, lock, () -> new GcpException(
                ErrorCode.NETWORK_ACL_NOT_FOUND, "The networkAcl ID '" + aclId + "' does not exist"));
    }

    private static NetworkAclEntry toModel(NetworkAclEntryEntity e) {
        return new NetworkAclEntry(e.ruleNumber, e.direction, e.protocol, e.fromPort, e.toPort, e.cidrBlock, e.action);
    }

    private static final Comparator<NetworkAclEntryEntity> ENTRY_ORDER =
            Comparator.<NetworkAclEntryEntity, String>comparing(e -> e.direction).thenComparingInt(e -> e.ruleNumber);

    /** Models of a page of ACLs, with their entries and the subnets using them fetched in three queries. */
    private static List<NetworkAcl> toModels(EntityManager em, List<NetworkAclEntity> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<NetworkAclEntryEntity>> entries = new HashMap<>();
        em.createQuery("SELECT e FROM NetworkAclEntryEntity e WHERE e.networkAclId IN :ids", NetworkAclEntryEntity.class)
                .setParameter("ids", rows.stream().map(a -> a.id).toList()).getResultList()
                .forEach(e -> entries.computeIfAbsent(e.networkAclId, k -> new ArrayList<>()).add(e));
        List<String> vpcIds = rows.stream().map(a -> a.vpcId).distinct().toList();
        List<SubnetEntity> subnets = em.createQuery("SELECT s FROM SubnetEntity s WHERE s.vpcId IN :vpcs "
                        + "ORDER BY s.createdAt, s.id", SubnetEntity.class)
                .setParameter("vpcs", vpcIds).getResultList();
        Map<String, String> explicit = new HashMap<>();
        em.createQuery("SELECT a FROM NetworkAclAssociationEntity a WHERE a.subnetId IN "
                        + "(SELECT s.id FROM SubnetEntity s WHERE s.vpcId IN :vpcs)", NetworkAclAssociationEntity.class)
                .setParameter("vpcs", vpcIds).getResultList()
                .forEach(a -> explicit.put(a.subnetId, a.networkAclId));
        return rows.stream().map(acl -> new NetworkAcl(acl.id, acl.vpcId, acl.name, acl.isDefault,
                entries.getOrDefault(acl.id, List.of()).stream().sorted(ENTRY_ORDER)
                        .map(NetworkAclServiceImpl::toModel).toList(),
                subnets.stream().filter(s -> s.vpcId.equals(acl.vpcId))
                        .filter(s -> explicit.containsKey(s.id) ? explicit.get(s.id).equals(acl.id) : acl.isDefault)
                        .map(s -> s.id).toList(),
                acl.createdAt.toInstant(), acl.updatedAt.toInstant())).toList();
    }
}
