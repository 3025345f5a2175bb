package io.goncloud.core.vpc;

import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.SecurityGroup;
import io.goncloud.api.model.SecurityGroupRule;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroupRule;
import io.goncloud.api.service.SecurityGroupService.UpdateSecurityGroup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security groups and their rules against a real database; subclasses pick which. */
abstract class SecurityGroupServiceContract extends NetworkingContract {

    private static CreateSecurityGroupRule rule(String direction, String protocol, Integer from, Integer to, String source) {
        return new CreateSecurityGroupRule(direction, protocol, from, to, source, null);
    }

    private long ruleCount(String groupId) {
        return count("SELECT COUNT(*) FROM security_group_rules WHERE security_group_id = ?", groupId);
    }

    @Test
    void aNewGroupAllowsAllOutboundAndNothingInbound() {
        Vpc vpc = vpc(alice);
        SecurityGroup group = groups.create(alice, new CreateSecurityGroup(vpc.id(), "web", "web servers"));
        assertEquals("web", group.name());
        assertEquals("web servers", group.description());
        assertEquals(vpc.id(), group.vpcId());
        assertEquals(alice.userId(), group.userId());
        assertFalse(group.isDefault());
        assertEquals(1, group.rules().size());
        SecurityGroupRule outbound = group.rules().get(0);
        assertEquals(List.of("outbound", "all", 0, 65535, "0.0.0.0/0"), List.of(outbound.direction(),
                outbound.protocol(), outbound.fromPort(), outbound.toPort(), outbound.source()));
        assertNotNull(outbound.id());
        assertEquals(group, groups.get(alice, group.id()));
        assertEquals(2, groups.list(alice, vpc.id(), PageRequest.first()).items().size());
    }

    @Test
    void theDefaultGroupAllowsItsOwnMembersAndCannotBeDeleted() {
        Vpc vpc = vpc(alice);
        SecurityGroup group = groups.get(alice, vpc.defaultSecurityGroupId());
        assertTrue(group.isDefault());
        assertEquals("default", group.name());
        SecurityGroupRule inbound = group.rules().get(0);
        assertEquals(List.of("inbound", "all", group.id()), List.of(inbound.direction(), inbound.protocol(), inbound.source()));
        assertEquals("outbound", group.rules().get(1).direction());
        assertEquals("CannotDelete", code(() -> groups.delete(alice, group.id())));
        assertEquals("InvalidParameterValue", code(() -> groups.update(alice, group.id(), new UpdateSecurityGroup("x", null))));
        assertEquals("the default", groups.update(alice, group.id(), new UpdateSecurityGroup("default", "the default"))
                .description());
    }

    @Test
    void rulesFollowTheProtocolsPortConventions() {
        Vpc vpc = vpc(alice);
        SecurityGroup group = groups.create(alice, new CreateSecurityGroup(vpc.id(), "app", null));
        SecurityGroupRule ssh = groups.addRule(alice, group.id(),
                new CreateSecurityGroupRule("inbound", "tcp", 22, 22, "198.51.100.0/24", "ssh"));
        assertEquals(new SecurityGroupRule(ssh.id(), "inbound", "tcp", 22, 22, "198.51.100.0/24", "ssh"), ssh);
        groups.addRule(alice, group.id(), rule("inbound", "udp", 0, 65535, "0.0.0.0/0"));
        SecurityGroupRule anyIcmp = groups.addRule(alice, group.id(), rule("inbound", "icmp", null, null, "0.0.0.0/0"));
        assertEquals(List.of(-1, -1), List.of(anyIcmp.fromPort(), anyIcmp.toPort()));
        SecurityGroupRule echo = groups.addRule(alice, group.id(), rule("inbound", "icmp", 8, null, "10.0.0.0/8"));
        assertEquals(List.of(8, -1), List.of(echo.fromPort(), echo.toPort()));
        SecurityGroupRule unreachable = groups.addRule(alice, group.id(), rule("inbound", "icmp", 3, 4, "10.0.0.0/8"));
        assertEquals(List.of(3, 4), List.of(unreachable.fromPort(), unreachable.toPort()));
        SecurityGroupRule all = groups.addRule(alice, group.id(), rule("inbound", "all", -1, -1, "10.0.0.0/8"));
        assertEquals(List.of(0, 65535), List.of(all.fromPort(), all.toPort()));
        assertEquals(7, groups.get(alice, group.id()).rules().size());

        String[][] refused = {
                {"inbound", "tcp", null, "80"}, {"inbound", "tcp", "80", null}, {"inbound", "tcp", "-1", "80"},
                {"inbound", "tcp", "0", "65536"}, {"inbound", "tcp", "90", "80"}, {"inbound", "icmp", "256", "0"},
                {"inbound", "icmp", "-1", "0"}, {"inbound", "icmp", null, "0"}, {"inbound", "icmp", "8", "-2"},
                {"inbound", "all", "80", "80"}, {"inbound", "all", "0", null}, {"inbound", "gre", "0", "0"},
                {"sideways", "tcp", "80", "80"}, {null, "tcp", "80", "80"}, {"inbound", null, "80", "80"},
                {"INBOUND", "tcp", "80", "80"}};
        for (String[] r : refused) {
            String code = code(() -> groups.addRule(alice, group.id(), rule(r[0], r[1],
                    r[2] == null ? null : Integer.valueOf(r[2]), r[3] == null ? null : Integer.valueOf(r[3]), "0.0.0.0/0")));
            assertTrue(code.equals("InvalidParameterValue") || code.equals("MissingParameter"), String.join(",", r) + ": " + code);
        }
        assertEquals("InvalidParameterValue", code(() -> groups.addRule(alice, group.id(),
                rule("inbound", "tcp", 80, 80, "10.0.0.1/8"))));
        assertEquals("InvalidParameterValue", code(() -> groups.addRule(alice, group.id(),
                rule("inbound", "tcp", 80, 80, "anywhere"))));
        assertEquals("MissingParameter", code(() -> groups.addRule(alice, group.id(), rule("inbound", "tcp", 80, 80, null))));
        assertEquals(7, ruleCount(group.id()), "refused rules write nothing");
    }

    @Test
    void duplicateRulesAndNamesAreRefused() {
        Vpc vpc = vpc(alice);
        SecurityGroup group = groups.create(alice, new CreateSecurityGroup(vpc.id(), "app", null));
        groups.addRule(alice, group.id(), new CreateSecurityGroupRule("inbound", "tcp", 443, 443, "0.0.0.0/0", "one"));
        assertEquals("InvalidPermission.Duplicate", code(() -> groups.addRule(alice, group.id(),
                new CreateSecurityGroupRule("inbound", "tcp", 443, 443, "0.0.0.0/0", "another description"))));
        assertEquals("InvalidPermission.Duplicate", code(() -> groups.addRule(alice, group.id(),
                rule("outbound", "all", null, null, "0.0.0.0/0"))), "the default outbound rule is there already");
        groups.addRule(alice, group.id(), rule("outbound", "tcp", 443, 443, "0.0.0.0/0"));
        assertEquals(3, ruleCount(group.id()));

        assertEquals("InvalidGroup.Duplicate", code(() -> groups.create(alice, new CreateSecurityGroup(vpc.id(), "app", null))));
        assertEquals("InvalidGroup.Duplicate", code(() -> groups.create(alice, new CreateSecurityGroup(vpc.id(), "default", null))));
        SecurityGroup other = groups.create(alice, new CreateSecurityGroup(vpc.id(), "db", null));
        assertEquals("InvalidGroup.Duplicate", code(() -> groups.update(alice, other.id(), new UpdateSecurityGroup("app", null))));
        assertEquals("app", groups.create(alice, new CreateSecurityGroup(vpc(alice).id(), "app", null)).name(),
                "names are unique per VPC");
        assertEquals(3, groups.list(alice, vpc.id(), PageRequest.first()).items().size());
        SecurityGroup renamed = groups.update(alice, other.id(), new UpdateSecurityGroup("database", "the db"));
        assertEquals(List.of("database", "the db"), List.of(renamed.name(), renamed.description()));
        assertTrue(renamed.updatedAt().isAfter(other.updatedAt()));
        assertEquals("MissingParameter", code(() -> groups.update(alice, other.id(), new UpdateSecurityGroup(null, null))));
        assertEquals("MissingParameter", code(() -> groups.create(alice, new CreateSecurityGroup(vpc.id(), " ", null))));
    }

    @Test
    void aGroupSourceMustBeAGroupOfTheSameVpc() {
        Vpc vpc = vpc(alice);
        SecurityGroup web = groups.create(alice, new CreateSecurityGroup(vpc.id(), "web", null));
        SecurityGroup db = groups.create(alice, new CreateSecurityGroup(vpc.id(), "db", null));
        SecurityGroupRule fromWeb = groups.addRule(alice, db.id(), rule("inbound", "tcp", 5432, 5432, web.id()));
        assertEquals(web.id(), fromWeb.source());
        groups.addRule(alice, db.id(), rule("inbound", "tcp", 5432, 5432, db.id()));

        SecurityGroup elsewhere = groups.create(alice, new CreateSecurityGroup(vpc(alice).id(), "far", null));
        assertEquals("InvalidGroup.NotFound", code(() -> groups.addRule(alice, db.id(),
                rule("inbound", "tcp", 22, 22, elsewhere.id()))));
        SecurityGroup bobs = groups.create(bob, new CreateSecurityGroup(vpc(bob).id(), "bob", null));
        assertEquals("InvalidGroup.NotFound", code(() -> groups.addRule(alice, db.id(),
                rule("inbound", "tcp", 22, 22, bobs.id()))));
        assertEquals("InvalidGroup.NotFound", code(() -> groups.addRule(alice, db.id(),
                rule("inbound", "tcp", 22, 22, UUID.randomUUID().toString()))));
        assertEquals(3, ruleCount(db.id()));
    }

    @Test
    void rulesAreDeletedByIdWithinTheirGroup() {
        Vpc vpc = vpc(alice);
        SecurityGroup group = groups.create(alice, new CreateSecurityGroup(vpc.id(), "app", null));
        SecurityGroup other = groups.create(alice, new CreateSecurityGroup(vpc.id(), "other", null));
        SecurityGroupRule http = groups.addRule(alice, group.id(), rule("inbound", "tcp", 80, 80, "0.0.0.0/0"));
        assertEquals("InvalidSecurityGroupRuleId.NotFound", code(() -> groups.deleteRule(alice, other.id(), http.id())));
        assertEquals("InvalidSecurityGroupRuleId.NotFound", code(() -> groups.deleteRule(alice, group.id(),
                UUID.randomUUID().toString())));
        assertEquals("InvalidSecurityGroupRuleId.Malformed", code(() -> groups.deleteRule(alice, group.id(), "sgr-1")));
        assertEquals("InvalidGroup.NotFound", code(() -> groups.deleteRule(bob, group.id(), http.id())));
        groups.deleteRule(alice, group.id(), http.id());
        assertEquals(1, groups.get(alice, group.id()).rules().size());
        // The outbound rule can go too: then the group allows nothing.
        groups.deleteRule(alice, group.id(), groups.get(alice, group.id()).rules().get(0).id());
        assertEquals(List.of(), groups.get(alice, group.id()).rules());
    }

    @Test
    void groupsInUseOrNamedByAnotherGroupCannotBeDeleted() {
        Vpc vpc = vpc(alice);
        SecurityGroup web = groups.create(alice, new CreateSecurityGroup(vpc.id(), "web", null));
        SecurityGroup database = groups.create(alice, new CreateSecurityGroup(vpc.id(), "db", null));
        SecurityGroupRule fromWeb = groups.addRule(alice, database.id(), rule("inbound", "tcp", 5432, 5432, web.id()));
        groups.addRule(alice, web.id(), rule("inbound", "tcp", 80, 80, web.id()));
        assertEquals("DependencyViolation", code(() -> groups.delete(alice, web.id())));
        groups.deleteRule(alice, database.id(), fromWeb.id());
        groups.delete(alice, web.id()); // its own rule naming itself does not hold it
        assertEquals("InvalidGroup.NotFound", code(() -> groups.get(alice, web.id())));

        Subnet subnet = subnet(alice, vpc, 1);
        String instance = instance(alice, subnet, "running");
        addMember(instance, database.id());
        assertEquals("DependencyViolation", code(() -> groups.delete(alice, database.id())));
        assertEquals(database.id(), groups.get(alice, database.id()).id());
        assertEquals("DependencyViolation", code(() -> vpcs.delete(alice, vpc.id())));
        db.run(em -> em.createNativeQuery("UPDATE instances SET state = 'terminated' WHERE id = ?")
                .setParameter(1, instance).executeUpdate());
        groups.delete(alice, database.id()); // a terminated instance holds nothing
        assertEquals(0, count("SELECT COUNT(*) FROM instance_security_groups WHERE security_group_id = ?", database.id()));
    }

    private void addMember(String instance, String group) {
        db.run(em -> em.createNativeQuery("INSERT INTO instance_security_groups (instance_id, security_group_id) "
                + "VALUES (?, ?)").setParameter(1, instance).setParameter(2, group).executeUpdate());
    }

    @Test
    void aVpcWithExtraGroupsCannotBeDeleted() {
        Vpc vpc = vpc(alice);
        SecurityGroup group = groups.create(alice, new CreateSecurityGroup(vpc.id(), "web", null));
        assertEquals("DependencyViolation", code(() -> vpcs.delete(alice, vpc.id())));
        groups.delete(alice, group.id());
        vpcs.delete(alice, vpc.id());
        assertEquals(0, count("SELECT COUNT(*) FROM security_groups WHERE vpc_id = ?", vpc.id()));
    }

    @Test
    void anotherTenantsGroupsAreNotFound() {
        Vpc vpc = vpc(alice);
        SecurityGroup group = groups.create(alice, new CreateSecurityGroup(vpc.id(), "mine", null));
        String notFound = "InvalidGroup.NotFound";
        assertEquals(notFound, code(() -> groups.get(bob, group.id())));
        assertEquals(notFound, code(() -> groups.update(bob, group.id(), new UpdateSecurityGroup("stolen", null))));
        assertEquals(notFound, code(() -> groups.delete(bob, group.id())));
        assertEquals(notFound, code(() -> groups.addRule(bob, group.id(), rule("inbound", "tcp", 22, 22, "0.0.0.0/0"))));
        assertEquals(notFound, code(() -> groups.get(alice, UUID.randomUUID().toString())));
        assertEquals("InvalidGroupId.Malformed", code(() -> groups.get(alice, "sg-1")));
        assertEquals("InvalidVpcID.NotFound", code(() -> groups.create(bob, new CreateSecurityGroup(vpc.id(), "x", null))));
        assertEquals("InvalidVpcID.NotFound", code(() -> groups.list(bob, vpc.id(), PageRequest.first())));
        assertTrue(groups.list(bob, null, PageRequest.first()).items().isEmpty());
        assertEquals(2, groups.list(alice, null, PageRequest.first()).items().size());
        assertEquals("mine", groups.get(alice, group.id()).name());
        assertEquals(1, ruleCount(group.id()));
    }
}
