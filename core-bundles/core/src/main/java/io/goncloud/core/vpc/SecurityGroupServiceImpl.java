package io.goncloud.core.vpc;

import io.goncloud.core.quota.Quotas;
import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.SecurityGroup;
import io.goncloud.api.model.SecurityGroupRule;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.SecurityGroupService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.persistence.SecurityGroupEntity;
import io.goncloud.core.persistence.SecurityGroupRuleEntity;
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
import java.util.UUID;

@Component(service = SecurityGroupService.class)
public class SecurityGroupServiceImpl implements SecurityGroupService {

    private final Database db;

    @Activate
    public SecurityGroupServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Page<SecurityGroup> list(Caller caller, String vpcId, PageRequest page) {
        return db.read(em -> {
            VpcScope scope = VpcScope.of(em, caller, vpcId);
            return Paging.page(em, SecurityGroupEntity.class, scope.where(), scope.params(), page, rows -> toModels(em, rows));
        });
    }

    @Override
    public SecurityGroup create(Caller caller, CreateSecurityGroup request) {
        String name = Check.requiredText(request.name(), "name", 255);
        String description = Check.optionalText(request.description(), "description", 255);
        return db.inTransaction(em -> {
            // The owner's row before the VPC's: the lock order of every quota check.
            Quotas.require(em, VpcServiceImpl.find(em, caller, request.vpcId(), false).userId,
                    Quotas.Resource.SECURITY_GROUPS, 1);
            VpcEntity vpc = VpcServiceImpl.find(em, caller, request.vpcId(), true);
            checkNameFree(em, vpc.id, name);
            SecurityGroupEntity group = new SecurityGroupEntity();
            group.id = Database.newId();
            group.vpcId = vpc.id;
            group.userId = vpc.userId;
            group.name = name;
            group.description = description;
            group.isDefault = false;
            group.createdAt = Database.now();
            group.updatedAt = group.createdAt;
            em.persist(group);
            em.flush();
            em.persist(VpcDefaults.rule(group.id, "outbound", VpcDefaults.ANYWHERE, "all outbound traffic"));
            em.flush();
            return toModels(em, List.of(group)).get(0);
        });
    }

    @Override
    public SecurityGroup get(Caller caller, String groupId) {
        return db.read(em -> toModels(em, List.of(find(em, caller, groupId, false).row())).get(0));
    }

    @Override
    public SecurityGroup update(Caller caller, String groupId, UpdateSecurityGroup request) {
        String name = request.name() == null ? null : Check.requiredText(request.name(), "name", 255);
        String description = Check.optionalText(request.description(), "description", 255);
        if (name == null && description == null) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "Nothing to update: give name and/or description");
        }
        return db.inTransaction(em -> {
            SecurityGroupEntity group = find(em, caller, groupId, true).row();
            if (name != null && !name.equals(group.name)) {
                if (group.isDefault) {
                    throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                            "The VPC's default security group keeps its name 'default'");
                }
                checkNameFree(em, group.vpcId, name);
                group.name = name;
            }
            if (description != null) {
                group.description = description;
            }
            group.updatedAt = VpcServiceImpl.later(group.updatedAt);
            em.flush();
            return toModels(em, List.of(group)).get(0);
        });
    }

    @Override
    public void delete(Caller caller, String groupId) {
        db.run(em -> {
            SecurityGroupEntity group = find(em, caller, groupId, true).row();
            if (group.isDefault) {
                throw new GcpException(ErrorCode.CANNOT_DELETE, "The security group '" + group.id
                        + "' is its VPC's default group and goes only with the VPC");
            }
            long instances = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM instance_security_groups g "
                            + "JOIN instances i ON i.id = g.instance_id WHERE g.security_group_id = ? AND i.state <> ?")
                    .setParameter(1, group.id).setParameter(2, Instances.TERMINATED)
                    .getSingleResult()).longValue();
            if (instances > 0) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The security group '" + group.id
                        + "' has dependencies and cannot be deleted: " + instances + " instance(s) use it");
            }
            List<String> referrers = em.createQuery("SELECT DISTINCT r.securityGroupId FROM SecurityGroupRuleEntity r "
                            + "WHERE r.source = :group AND r.securityGroupId <> :group", String.class)
                    .setParameter("group", group.id).getResultList();
            if (!referrers.isEmpty()) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The security group '" + group.id
                        + "' has dependencies and cannot be deleted: rules of the group(s) "
                        + String.join(", ", referrers.stream().sorted().toList()) + " name it");
            }
            em.remove(group); // its rules go with it (ON DELETE CASCADE)
        });
    }

    @Override
    public SecurityGroupRule addRule(Caller caller, String groupId, CreateSecurityGroupRule request) {
        String direction = PacketRules.direction(request.direction());
        String protocol = PacketRules.protocol(request.protocol());
        PacketRules.Ports ports = PacketRules.ports(protocol, request.fromPort(), request.toPort());
        String description = Check.optionalText(request.description(), "description", 255);
        Source source = source(request.source());
        return db.inTransaction(em -> {
            Quotas.lockOwner(em, find(em, caller, groupId, false).row().userId); // before the VPC's lock
            SecurityGroupEntity group = find(em, caller, groupId, true).row();
            if (source.groupId() != null) {
                SecurityGroupEntity peer = em.find(SecurityGroupEntity.class, source.groupId());
                if (peer == null || !peer.vpcId.equals(group.vpcId)) {
                    throw new GcpException(ErrorCode.SECURITY_GROUP_NOT_FOUND, "The security group '"
                            + request.source() + "' does not exist in the VPC " + group.vpcId);
                }
            }
            long same = em.createQuery("SELECT COUNT(r) FROM SecurityGroupRuleEntity r WHERE r.securityGroupId = :group "
                            + "AND r.direction = :direction AND r.protocol = :protocol AND r.fromPort = :from "
                            + "AND r.toPort = :to AND r.source = :source", Long.class)
                    .setParameter("group", group.id).setParameter("direction", direction)
                    .setParameter("protocol", protocol).setParameter("from", ports.from())
                    .setParameter("to", ports.to()).setParameter("source", source.value())
                    .getSingleResult();
            if (same > 0) {
                throw new GcpException(ErrorCode.PERMISSION_DUPLICATE, "The security group '" + group.id
                        + "' already has this " + direction + " rule (" + protocol + " " + ports.from() + "-"
                        + ports.to() + " " + source.value() + ")");
            }
            Quotas.requireRuleRoom(em, group.userId, em.createQuery("SELECT COUNT(r) FROM SecurityGroupRuleEntity r "
                    + "WHERE r.securityGroupId = :group", Long.class).setParameter("group", group.id).getSingleResult());
            SecurityGroupRuleEntity rule = new SecurityGroupRuleEntity();
            rule.id = Database.newId();
            rule.securityGroupId = group.id;
            rule.direction = direction;
            rule.protocol = protocol;
            rule.fromPort = ports.from();
            rule.toPort = ports.to();
            rule.source = source.value();
            rule.description = description;
            em.persist(rule);
            group.updatedAt = VpcServiceImpl.later(group.updatedAt);
            em.flush();
            return toModel(rule);
        });
    }

    @Override
    public void deleteRule(Caller caller, String groupId, String ruleId) {
        String id = Check.id(ruleId, ErrorCode.SECURITY_GROUP_RULE_MALFORMED, "security group rule id");
        db.run(em -> {
            SecurityGroupEntity group = find(em, caller, groupId, true).row();
            SecurityGroupRuleEntity rule = em.find(SecurityGroupRuleEntity.class, id);
            if (rule == null || !rule.securityGroupId.equals(group.id)) {
                throw new GcpException(ErrorCode.SECURITY_GROUP_RULE_NOT_FOUND, "The security group rule ID '"
                        + ruleId + "' does not exist in the group " + group.id);
            }
            em.remove(rule);
            group.updatedAt = VpcServiceImpl.later(group.updatedAt);
        });
    }

    /** A rule's source: a CIDR block in canonical form, or a group id (to be checked in the group's VPC). */
    record Source(String value, String groupId) {
    }

    static Source source(String source) {
        if (source == null || source.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter source");
        }
        if (source.contains("/")) {
            return new Source(Check.cidr(source, "source").toString(), null);
        }
        try {
            UUID.fromString(source.strip());
        } catch (IllegalArgumentException e) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Value (" + source
                    + ") for parameter source is invalid: give a CIDR block (e.g. 10.0.0.0/16) or a security group id");
        }
        String id = Check.id(source, ErrorCode.SECURITY_GROUP_MALFORMED, "security group id");
        return new Source(id, id);
    }

    private static void checkNameFree(EntityManager em, String vpcId, String name) {
        long taken = em.createQuery("SELECT COUNT(g) FROM SecurityGroupEntity g WHERE g.vpcId = :vpc AND g.name = :name",
                Long.class).setParameter("vpc", vpcId).setParameter("name", name).getSingleResult();
        if (taken > 0) {
            throw new GcpException(ErrorCode.SECURITY_GROUP_DUPLICATE,
                    "The security group '" + name + "' already exists in the VPC " + vpcId);
        }
    }

    /** The caller's group; with {@code lock}, its VPC is locked first. */
    static VpcScoped.Found<SecurityGroupEntity> find(EntityManager em, Caller caller, String groupId, boolean lock) {
        String id = Check.id(groupId, ErrorCode.SECURITY_GROUP_MALFORMED, "security group id");
        return VpcScoped.find(em, caller, SecurityGroupEntity.class, id, lock, () -> new GcpException(
                ErrorCode.SECURITY_GROUP_NOT_FOUND, "The security group '" + groupId + "' does not exist"));
    }

    private static SecurityGroupRule toModel(SecurityGroupRuleEntity r) {
        return new SecurityGroupRule(r.id, r.direction, r.protocol, r.fromPort, r.toPort, r.source, r.description);
    }

    /** Rules inbound first, then in a stable order of their content. */
    private static final Comparator<SecurityGroupRuleEntity> RULE_ORDER =
            Comparator.<SecurityGroupRuleEntity, String>comparing(r -> r.direction)
                    .thenComparing(r -> r.protocol).thenComparingInt(r -> r.fromPort).thenComparingInt(r -> r.toPort)
                    .thenComparing(r -> r.source).thenComparing(r -> r.id);

    private static List<SecurityGroup> toModels(EntityManager em, List<SecurityGroupEntity> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<SecurityGroupRuleEntity>> rules = new HashMap<>();
        em.createQuery("SELECT r FROM SecurityGroupRuleEntity r WHERE r.securityGroupId IN :ids",
                        SecurityGroupRuleEntity.class)
                .setParameter("ids", rows.stream().map(g -> g.id).toList()).getResultList()
                .forEach(r -> rules.computeIfAbsent(r.securityGroupId, k -> new ArrayList<>()).add(r));
        return rows.stream().map(g -> new SecurityGroup(g.id, g.vpcId, g.name, g.description, g.userId, g.isDefault,
                rules.getOrDefault(g.id, List.of()).stream().sorted(RULE_ORDER)
                        .map(SecurityGroupServiceImpl::toModel).toList(),
                g.createdAt.toInstant(), g.updatedAt.toInstant())).toList();
    }
}
