package io.goncloud.core.vpc;

import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.NetworkAclEntity;
import io.goncloud.core.persistence.NetworkAclEntryEntity;
import io.goncloud.core.persistence.RouteEntity;
import io.goncloud.core.persistence.RouteTableEntity;
import io.goncloud.core.persistence.SecurityGroupEntity;
import io.goncloud.core.persistence.SecurityGroupRuleEntity;
import io.goncloud.core.persistence.VpcEntity;

import javax.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every VPC comes with, as in EC2: a main route table holding the local route, a default security
 * group (members may talk to each other; all outbound allowed) and a default network ACL (allow all,
 * both ways). They live and die with the VPC.
 */
final class VpcDefaults {

    static final String ANYWHERE = "0.0.0.0/0";
    static final int DEFAULT_ACL_RULE = 100;

    private VpcDefaults() {
    }

    static void create(EntityManager em, VpcEntity vpc) {
        RouteTableEntity main = new RouteTableEntity();
        main.id = Database.newId();
        main.vpcId = vpc.id;
        main.name = "main";
        main.main = true;
        main.createdAt = vpc.createdAt;
        main.updatedAt = vpc.createdAt;
        em.persist(main);
        em.flush(); // rows have no mapped relations, so parents are written before their children by hand

        RouteEntity local = new RouteEntity();
        local.id = Database.newId();
        local.routeTableId = main.id;
        local.destinationCidr = vpc.cidrBlock;
        local.targetType = "local";
        local.priority = 0;
        em.persist(local);

        SecurityGroupEntity group = new SecurityGroupEntity();
        group.id = Database.newId();
        group.vpcId = vpc.id;
        group.userId = vpc.userId;
        group.name = "default";
        group.description = "default VPC security group";
        group.isDefault = true;
        group.createdAt = vpc.createdAt;
        group.updatedAt = vpc.createdAt;
        em.persist(group);
        em.flush();
        em.persist(rule(group.id, "inbound", group.id, "members of this group"));
        em.persist(rule(group.id, "outbound", ANYWHERE, "all outbound traffic"));

        NetworkAclEntity acl = new NetworkAclEntity();
        acl.id = Database.newId();
        acl.vpcId = vpc.id;
        acl.name = "default";
        acl.isDefault = true;
        acl.createdAt = vpc.createdAt;
        acl.updatedAt = vpc.createdAt;
        em.persist(acl);
        em.flush();
        em.persist(allowAll(acl.id, "inbound"));
        em.persist(allowAll(acl.id, "outbound"));
    }

    /** Why the VPC cannot be deleted yet, one phrase per kind of dependent; empty when it can. */
    static List<String> dependents(EntityManager em, String vpcId) {
        List<String> found = new ArrayList<>();
        count(em, found, "subnet(s)", "SELECT COUNT(e) FROM SubnetEntity e WHERE e.vpcId = :vpc", vpcId);
        count(em, found, "security group(s) besides the default",
                "SELECT COUNT(e) FROM SecurityGroupEntity e WHERE e.vpcId = :vpc AND e.isDefault = false", vpcId);
        count(em, found, "route table(s) besides the main one",
                "SELECT COUNT(e) FROM RouteTableEntity e WHERE e.vpcId = :vpc AND e.main = false", vpcId);
        count(em, found, "network ACL(s) besides the default",
                "SELECT COUNT(e) FROM NetworkAclEntity e WHERE e.vpcId = :vpc AND e.isDefault = false", vpcId);
        // Any gateway row naming the VPC, whatever its state: deleting the VPC would cascade to it.
        count(em, found, "attached internet gateway(s)",
                "SELECT COUNT(e) FROM InternetGatewayEntity e WHERE e.vpcId = :vpc", vpcId);
        return found;
    }

    private static void count(EntityManager em, List<String> found, String what, String jpql, String vpcId) {
        long n = em.createQuery(jpql, Long.class).setParameter("vpc", vpcId).getSingleResult();
        if (n > 0) {
            found.add(n + " " + what);
        }
    }

    /** The default resources' ids of several VPCs, fetched in three queries. */
    static Ids idsOf(EntityManager em, List<String> vpcIds) {
        Ids ids = new Ids(new HashMap<>(), new HashMap<>(), new HashMap<>());
        if (vpcIds.isEmpty()) {
            return ids;
        }
        em.createQuery("SELECT e FROM RouteTableEntity e WHERE e.main = true AND e.vpcId IN :ids", RouteTableEntity.class)
                .setParameter("ids", vpcIds).getResultList()
                .forEach(t -> ids.mainRouteTables().put(t.vpcId, t.id));
        em.createQuery("SELECT e FROM SecurityGroupEntity e WHERE e.isDefault = true AND e.vpcId IN :ids",
                        SecurityGroupEntity.class)
                .setParameter("ids", vpcIds).getResultList()
                .forEach(g -> ids.securityGroups().put(g.vpcId, g.id));
        em.createQuery("SELECT e FROM NetworkAclEntity e WHERE e.isDefault = true AND e.vpcId IN :ids",
                        NetworkAclEntity.class)
                .setParameter("ids", vpcIds).getResultList()
                .forEach(a -> ids.networkAcls().put(a.vpcId, a.id));
        return ids;
    }

    record Ids(Map<String, String> mainRouteTables, Map<String, String> securityGroups,
               Map<String, String> networkAcls) {
    }

    static SecurityGroupRuleEntity rule(String groupId, String direction, String source, String description) {
        SecurityGroupRuleEntity rule = new SecurityGroupRuleEntity();
        rule.id = Database.newId();
        rule.securityGroupId = groupId;
        rule.direction = direction;
        rule.protocol = "all";
        rule.fromPort = 0;
        rule.toPort = 65535;
        rule.source = source;
        rule.description = description;
        return rule;
    }

    private static NetworkAclEntryEntity allowAll(String aclId, String direction) {
        NetworkAclEntryEntity entry = new NetworkAclEntryEntity();
        entry.id = Database.newId();
        entry.networkAclId = aclId;
        entry.ruleNumber = DEFAULT_ACL_RULE;
        entry.direction = direction;
        entry.protocol = "all";
        entry.fromPort = 0;
        entry.toPort = 65535;
        entry.cidrBlock = ANYWHERE;
        entry.action = "allow";
        return entry;
    }
}
