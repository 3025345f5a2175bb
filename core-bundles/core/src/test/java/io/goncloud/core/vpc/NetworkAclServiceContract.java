package io.goncloud.core.vpc;

import io.goncloud.api.model.NetworkAcl;
import io.goncloud.api.model.NetworkAclEntry;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.NetworkAclService.CreateNetworkAcl;
import io.goncloud.api.service.NetworkAclService.CreateNetworkAclEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Network ACLs, their entries and associations against a real database; subclasses pick which. */
abstract class NetworkAclServiceContract extends NetworkingContract {

    private static CreateNetworkAclEntry entry(Integer number, String direction, String protocol, Integer from,
                                               Integer to, String cidr, String action) {
        return new CreateNetworkAclEntry(number, direction, protocol, from, to, cidr, action);
    }

    private long entryCount(String aclId) {
        return count("SELECT COUNT(*) FROM network_acl_entries WHERE network_acl_id = ?", aclId);
    }

    @Test
    void theDefaultAclAllowsEverythingAndServesEverySubnet() {
        Vpc vpc = vpc(alice);
        Subnet a = subnet(alice, vpc, 1);
        Subnet b = subnet(alice, vpc, 2);
        NetworkAcl acl = acls.get(alice, vpc.defaultNetworkAclId());
        assertTrue(acl.isDefault());
        assertEquals(List.of(new NetworkAclEntry(100, "inbound", "all", 0, 65535, "0.0.0.0/0", "allow"),
                new NetworkAclEntry(100, "outbound", "all", 0, 65535, "0.0.0.0/0", "allow")), acl.entries());
        assertEquals(List.of(a.id(), b.id()), acl.subnetIds());
        assertEquals("CannotDelete", code(() -> acls.delete(alice, acl.id())));
    }

    @Test
    void aNewAclDeniesEverythingUntilEntriesAreAdded() {
        Vpc vpc = vpc(alice);
        NetworkAcl acl = acls.create(alice, new CreateNetworkAcl(vpc.id(), "strict"));
        assertEquals("strict", acl.name());
        assertFalse(acl.isDefault());
        assertEquals(List.of(), acl.entries());
        assertEquals(List.of(), acl.subnetIds());
        assertEquals(acl, acls.get(alice, acl.id()));

        NetworkAclEntry https = acls.addEntry(alice, acl.id(), entry(100, "inbound", "tcp", 443, 443, "0.0.0.0/0", "allow"));
        assertEquals(new NetworkAclEntry(100, "inbound", "tcp", 443, 443, "0.0.0.0/0", "allow"), https);
        acls.addEntry(alice, acl.id(), entry(90, "inbound", "all", null, null, "198.51.100.0/24", "deny"));
        acls.addEntry(alice, acl.id(), entry(100, "outbound", "tcp", 1024, 65535, "0.0.0.0/0", "allow"));
        acls.addEntry(alice, acl.id(), entry(110, "inbound", "icmp", 0, -1, "0.0.0.0/0", "allow"));
        NetworkAcl updated = acls.get(alice, acl.id());
        assertEquals(List.of("inbound/90", "inbound/100", "inbound/110", "outbound/100"), updated.entries().stream()
                .map(e -> e.direction() + "/" + e.ruleNumber()).toList());
        assertEquals(List.of(0, 65535), List.of(updated.entries().get(0).fromPort(), updated.entries().get(0).toPort()));
        assertTrue(updated.updatedAt().isAfter(acl.updatedAt()));

        acls.deleteEntry(alice, acl.id(), "inbound", 90);
        assertEquals(3, acls.get(alice, acl.id()).entries().size());
        assertEquals("InvalidNetworkAclEntry.NotFound", code(() -> acls.deleteEntry(alice, acl.id(), "inbound", 90)));
        assertEquals("InvalidNetworkAclEntry.NotFound", code(() -> acls.deleteEntry(alice, acl.id(), "outbound", 110)));
        assertEquals(2, acls.list(alice, vpc.id(), PageRequest.first()).items().size());
    }

    @Test
    void entriesAreCheckedAndUniquePerDirectionAndNumber() {
        Vpc vpc = vpc(alice);
        NetworkAcl acl = acls.create(alice, new CreateNetworkAcl(vpc.id(), null));
        acls.addEntry(alice, acl.id(), entry(100, "inbound", "tcp", 22, 22, "10.0.0.0/8", "allow"));
        assertEquals("NetworkAclEntryAlreadyExists", code(() -> acls.addEntry(alice, acl.id(),
                entry(100, "inbound", "udp", 53, 53, "10.0.0.0/8", "deny"))));
        acls.addEntry(alice, acl.id(), entry(100, "outbound", "tcp", 22, 22, "10.0.0.0/8", "allow"));
        assertEquals("InvalidNetworkAclEntry.Range", code(() -> acls.addEntry(alice, acl.id(),
                entry(0, "inbound", "tcp", 22, 22, "10.0.0.0/8", "allow"))));
        assertEquals("InvalidNetworkAclEntry.Range", code(() -> acls.addEntry(alice, acl.id(),
                entry(32767, "inbound", "tcp", 22, 22, "10.0.0.0/8", "allow"))));
        assertEquals("InvalidNetworkAclEntry.Range", code(() -> acls.deleteEntry(alice, acl.id(), "inbound", 40000)));
        acls.addEntry(alice, acl.id(), entry(32766, "inbound", "tcp", 22, 22, "10.0.0.0/8", "allow"));
        acls.addEntry(alice, acl.id(), entry(1, "inbound", "tcp", 22, 22, "10.0.0.0/8", "allow"));
        assertEquals("MissingParameter", code(() -> acls.addEntry(alice, acl.id(),
                entry(null, "inbound", "tcp", 22, 22, "10.0.0.0/8", "allow"))));
        assertEquals("InvalidParameterValue", code(() -> acls.addEntry(alice, acl.id(),
                entry(5, "inbound", "tcp", 22, 22, "10.0.0.0/8", "reject"))));
        assertEquals("MissingParameter", code(() -> acls.addEntry(alice, acl.id(),
                entry(5, "inbound", "tcp", 22, 22, "10.0.0.0/8", null))));
        assertEquals("InvalidParameterValue", code(() -> acls.addEntry(alice, acl.id(),
                entry(5, "inbound", "tcp", 22, 22, "10.0.0.0/33", "allow"))));
        assertEquals("MissingParameter", code(() -> acls.addEntry(alice, acl.id(),
                entry(5, "inbound", "tcp", 22, 22, null, "allow"))));
        assertEquals("InvalidParameterValue", code(() -> acls.addEntry(alice, acl.id(),
                entry(5, "inbound", "tcp", 23, 22, "10.0.0.0/8", "allow"))));
        assertEquals("InvalidParameterValue", code(() -> acls.addEntry(alice, acl.id(),
                entry(5, "inbound", "icmp", -1, 3, "10.0.0.0/8", "allow"))));
        assertEquals("InvalidParameterValue", code(() -> acls.addEntry(alice, acl.id(),
                entry(5, "both", "tcp", 22, 22, "10.0.0.0/8", "allow"))));
        assertEquals("InvalidParameterValue", code(() -> acls.deleteEntry(alice, acl.id(), "both", 100)));
        assertEquals(4, entryCount(acl.id()), "refused entries write nothing");
    }

    @Test
    void aSubnetUsesExactlyOneAcl() {
        Vpc vpc = vpc(alice);
        Subnet a = subnet(alice, vpc, 1);
        Subnet b = subnet(alice, vpc, 2);
        NetworkAcl first = acls.create(alice, new CreateNetworkAcl(vpc.id(), "first"));
        NetworkAcl second = acls.create(alice, new CreateNetworkAcl(vpc.id(), "second"));

        assertEquals(List.of(a.id()), acls.associate(alice, first.id(), a.id()).subnetIds());
        assertEquals(List.of(b.id()), acls.get(alice, vpc.defaultNetworkAclId()).subnetIds());
        assertEquals(List.of(a.id()), acls.associate(alice, first.id(), a.id()).subnetIds(), "again changes nothing");
        assertEquals(List.of(a.id()), acls.associate(alice, second.id(), a.id()).subnetIds());
        assertEquals(List.of(), acls.get(alice, first.id()).subnetIds(), "the subnet moved");
        assertEquals(1, count("SELECT COUNT(*) FROM network_acl_associations WHERE subnet_id = ?", a.id()));

        // Back to the default: the subnet then has no row, and uses the default.
        assertEquals(List.of(a.id(), b.id()), acls.associate(alice, vpc.defaultNetworkAclId(), a.id()).subnetIds());
        assertEquals(0, count("SELECT COUNT(*) FROM network_acl_associations WHERE subnet_id = ?", a.id()));
        assertEquals(List.of(), acls.get(alice, second.id()).subnetIds());
        assertEquals(List.of(a.id(), b.id()), acls.associate(alice, vpc.defaultNetworkAclId(), a.id()).subnetIds());

        Subnet foreign = subnet(alice, vpc(alice), 1);
        assertEquals("InvalidParameterValue", code(() -> acls.associate(alice, first.id(), foreign.id())));
        Subnet bobs = subnet(bob, vpc(bob), 1);
        assertEquals("InvalidSubnetID.NotFound", code(() -> acls.associate(alice, first.id(), bobs.id())));
        assertEquals("InvalidSubnetID.NotFound", code(() -> acls.associate(alice, first.id(), UUID.randomUUID().toString())));
        assertEquals(List.of(), acls.get(alice, first.id()).subnetIds());
    }

    @Test
    void anAclInUseCannotBeDeletedNorItsVpc() {
        Vpc vpc = vpc(alice);
        Subnet subnet = subnet(alice, vpc, 1);
        NetworkAcl acl = acls.create(alice, new CreateNetworkAcl(vpc.id(), "x"));
        acls.addEntry(alice, acl.id(), entry(100, "inbound", "tcp", 22, 22, "10.0.0.0/8", "allow"));
        acls.associate(alice, acl.id(), subnet.id());
        assertEquals("DependencyViolation", code(() -> acls.delete(alice, acl.id())));
        assertEquals(1, acls.get(alice, acl.id()).entries().size());
        assertEquals("DependencyViolation", code(() -> vpcs.delete(alice, vpc.id())));
        acls.associate(alice, vpc.defaultNetworkAclId(), subnet.id());
        acls.delete(alice, acl.id());
        assertEquals("InvalidNetworkAclID.NotFound", code(() -> acls.get(alice, acl.id())));
        assertEquals(0, entryCount(acl.id()), "its entries go with it");
        subnets.delete(alice, subnet.id());
        vpcs.delete(alice, vpc.id());
    }

    @Test
    void anotherTenantsAclsAreNotFound() {
        Vpc vpc = vpc(alice);
        Subnet subnet = subnet(alice, vpc, 1);
        NetworkAcl acl = acls.create(alice, new CreateNetworkAcl(vpc.id(), "mine"));
        String notFound = "InvalidNetworkAclID.NotFound";
        assertEquals(notFound, code(() -> acls.get(bob, acl.id())));
        assertEquals(notFound, code(() -> acls.delete(bob, acl.id())));
        assertEquals(notFound, code(() -> acls.addEntry(bob, acl.id(), entry(1, "inbound", "all", null, null, "0.0.0.0/0", "allow"))));
        assertEquals(notFound, code(() -> acls.deleteEntry(bob, vpc.defaultNetworkAclId(), "inbound", 100)));
        assertEquals(notFound, code(() -> acls.associate(bob, acl.id(), subnet.id())));
        assertEquals(notFound, code(() -> acls.get(alice, UUID.randomUUID().toString())));
        assertEquals("InvalidNetworkAclID.Malformed", code(() -> acls.get(alice, "acl-1")));
        assertEquals("InvalidVpcID.NotFound", code(() -> acls.create(bob, new CreateNetworkAcl(vpc.id(), "x"))));
        assertEquals("InvalidVpcID.NotFound", code(() -> acls.list(bob, vpc.id(), PageRequest.first())));
        assertTrue(acls.list(bob, null, PageRequest.first()).items().isEmpty());
        assertEquals(2, acls.list(alice, null, PageRequest.first()).items().size());
        assertEquals(2, acls.get(alice, vpc.defaultNetworkAclId()).entries().size());
        assertEquals(List.of(), acls.get(alice, acl.id()).entries());
    }
}
