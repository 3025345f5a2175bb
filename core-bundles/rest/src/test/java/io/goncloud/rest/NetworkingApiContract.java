package io.goncloud.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.rest.HttpApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.goncloud.rest.HttpApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route tables, internet gateways, security groups, network ACLs and elastic IPs over HTTP, with the
 * real services on a real database: what a client sees, error paths included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NetworkingApiContract {

    private ApiFixture fixture;
    private HttpApi api;
    private Tenant alice;
    private Tenant bob;

    abstract TestDatabase.Kind kind();

    record Tenant(String id, String token) {
    }

    @BeforeAll
    void start() {
        fixture = new ApiFixture(kind());
        api = fixture.api;
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void users() {
        alice = tenant("alice");
        bob = tenant("bob");
    }

    private Tenant tenant(String name) {
        String email = name + "-" + UUID.randomUUID() + "@example.test";
        Reply registered = api.post("/auth/register", null, json("username", name, "email", email, "password", "password-" + name));
        assertEquals(201, registered.status(), registered.body().toString());
        Reply login = api.post("/auth/login", null, json("email", email, "password", "password-" + name));
        return new Tenant(registered.text("id"), login.text("access_token"));
    }

    private static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(code, reply.code(), reply.body().toString());
        assertFalse(reply.text("message").isBlank(), "an error must say what is wrong");
        assertEquals(reply.raw().headers().firstValue("X-Request-Id").orElse(null), reply.text("request_id"));
        assertFalse(reply.raw().body().contains("Exception"), "no stack traces or class names: " + reply.raw().body());
    }

    private static Reply created(Reply reply) {
        assertEquals(201, reply.status(), reply.body().toString());
        return reply;
    }

    private static Reply ok(Reply reply) {
        assertEquals(200, reply.status(), reply.body().toString());
        return reply;
    }

    private static void noContent(Reply reply) {
        assertEquals(204, reply.status(), reply.body().toString());
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(field == null ? n.asText() : n.path(field).asText()));
        return values;
    }

    private Reply vpc(Tenant owner, String cidr) {
        return created(api.post("/vpcs", owner.token(), json("name", "net", "cidr_block", cidr)));
    }

    private String subnet(Tenant owner, String vpcId, String cidr) {
        return created(api.post("/subnets", owner.token(), json("vpc_id", vpcId, "name", "s", "cidr_block", cidr))).text("id");
    }

    private String attachedGateway(Tenant owner, String vpcId) {
        String gateway = created(api.post("/internet-gateways", owner.token(), json("name", "edge"))).text("id");
        ok(api.post("/internet-gateways/" + gateway + "/attach", owner.token(), json("vpc_id", vpcId)));
        return gateway;
    }

    /** An instance row (the instance API comes later), as the database holds it. */
    private String instance(Tenant owner, String subnetId) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        fixture.db.run(em -> em.createNativeQuery("INSERT INTO instances (id, name, instance_type, subnet_id, private_ip, "
                        + "state, user_id, created_at, updated_at) VALUES (?, 'web', 't2.micro', ?, '10.0.1.10', 'running', ?, ?, ?)")
                .setParameter(1, id).setParameter(2, subnetId).setParameter(3, owner.id())
                .setParameter(4, now).setParameter(5, now).executeUpdate());
        return id;
    }

    @Test
    void routeTableLifeCycle() {
        Reply vpc = vpc(alice, "10.0.0.0/16");
        String vpcId = vpc.text("id");
        String subnetId = subnet(alice, vpcId, "10.0.1.0/24");
        Reply main = ok(api.get("/route-tables/" + vpc.text("main_route_table_id"), alice.token()));
        assertTrue(main.body().path("is_main").asBoolean());
        assertEquals("local", main.body().path("routes").get(0).path("target_type").asText());
        assertTrue(main.body().path("routes").get(0).path("target_id").isNull());

        Reply table = created(api.post("/route-tables", alice.token(), json("vpc_id", vpcId, "name", "public")));
        String tableId = table.text("id");
        assertTrue(table.raw().headers().firstValue("Location").orElse("").endsWith("/api/v1/route-tables/" + tableId));
        assertFalse(table.body().path("is_main").asBoolean());
        assertEquals(2, ok(api.get("/route-tables?vpc_id=" + vpcId, alice.token())).body().path("items").size());

        String gateway = attachedGateway(alice, vpcId);
        Reply route = created(api.post("/route-tables/" + tableId + "/routes", alice.token(),
                json("destination_cidr", "0.0.0.0/0", "target_type", "igw", "target_id", gateway)));
        assertEquals(gateway, route.text("target_id"));
        assertError(api.post("/route-tables/" + tableId + "/routes", alice.token(),
                json("destination_cidr", "0.0.0.0/0", "target_type", "igw", "target_id", gateway)), 409, "RouteAlreadyExists");
        assertError(api.post("/route-tables/" + tableId + "/routes", alice.token(),
                json("destination_cidr", "10.0.0.0/16", "target_type", "igw", "target_id", gateway)), 409, "RouteAlreadyExists");
        assertError(api.post("/route-tables/" + tableId + "/routes", alice.token(),
                json("destination_cidr", "0.0.0.0/0/1", "target_type", "igw", "target_id", gateway)), 400, "InvalidParameterValue");
        assertError(api.post("/route-tables/" + tableId + "/routes", alice.token(),
                json("destination_cidr", "8.8.8.0/24", "target_type", "igw", "target_id", UUID.randomUUID().toString())),
                404, "InvalidGatewayID.NotFound");
        assertError(api.post("/route-tables/" + tableId + "/routes", alice.token(),
                json("destination_cidr", "8.8.8.0/24", "target_type", "instance", "target_id", UUID.randomUUID().toString())),
                404, "InvalidInstanceID.NotFound");
        assertError(api.post("/route-tables/" + tableId + "/routes", alice.token(),
                json("destination_cidr", "8.8.8.0/24", "target_type", "igw", "target_id", gateway, "priority", 1)),
                400, "UnknownParameter");
        assertError(api.delete("/route-tables/" + tableId + "/routes?destination_cidr=10.0.0.0/16", alice.token()),
                400, "InvalidParameterValue");
        assertError(api.delete("/route-tables/" + tableId + "/routes?destination_cidr=8.8.8.0/24", alice.token()),
                404, "InvalidRoute.NotFound");
        assertError(api.delete("/route-tables/" + tableId + "/routes", alice.token()), 400, "MissingParameter");
        assertError(api.post("/internet-gateways/" + gateway + "/detach", alice.token(), json("vpc_id", vpcId)),
                409, "DependencyViolation");

        Reply associated = ok(api.post("/route-tables/" + tableId + "/associations", alice.token(), json("subnet_id", subnetId)));
        assertEquals(List.of(subnetId), texts(associated.body().path("subnet_ids"), null));
        assertError(api.delete("/route-tables/" + tableId, alice.token()), 409, "DependencyViolation");
        assertError(api.delete("/route-tables/" + vpc.text("main_route_table_id"), alice.token()), 400, "CannotDelete");
        noContent(api.delete("/route-tables/" + tableId + "/associations/" + subnetId, alice.token()));
        assertError(api.delete("/route-tables/" + tableId + "/associations/" + subnetId, alice.token()),
                404, "InvalidAssociationID.NotFound");
        noContent(api.delete("/route-tables/" + tableId + "/routes?destination_cidr=0.0.0.0/0", alice.token()));
        assertEquals(1, ok(api.get("/route-tables/" + tableId, alice.token())).body().path("routes").size());
        noContent(api.delete("/route-tables/" + tableId, alice.token()));
        assertError(api.get("/route-tables/" + tableId, alice.token()), 404, "InvalidRouteTableID.NotFound");
        assertError(api.get("/route-tables/rtb-1", alice.token()), 400, "InvalidRouteTableID.Malformed");
    }

    @Test
    void internetGatewayLifeCycle() {
        String vpcId = vpc(alice, "10.1.0.0/16").text("id");
        Reply gateway = created(api.post("/internet-gateways", alice.token(), ""));
        String id = gateway.text("id");
        assertEquals("detached", gateway.text("state"));
        assertTrue(gateway.body().path("vpc_id").isNull());
        assertEquals(alice.id(), gateway.text("user_id"));
        assertTrue(gateway.raw().headers().firstValue("Location").orElse("").endsWith("/api/v1/internet-gateways/" + id));

        Reply attached = ok(api.post("/internet-gateways/" + id + "/attach", alice.token(), json("vpc_id", vpcId)));
        assertEquals("attached", attached.text("state"));
        assertEquals(vpcId, attached.text("vpc_id"));
        assertError(api.post("/internet-gateways/" + id + "/attach", alice.token(), json("vpc_id", vpcId)),
                409, "Resource.AlreadyAssociated");
        String second = created(api.post("/internet-gateways", alice.token(), "{}")).text("id");
        assertError(api.post("/internet-gateways/" + second + "/attach", alice.token(), json("vpc_id", vpcId)),
                409, "Resource.AlreadyAssociated");
        assertError(api.post("/internet-gateways/" + second + "/detach", alice.token(), json("vpc_id", vpcId)),
                409, "Gateway.NotAttached");
        assertError(api.delete("/internet-gateways/" + id, alice.token()), 409, "DependencyViolation");
        assertError(api.delete("/vpcs/" + vpcId, alice.token()), 409, "DependencyViolation");
        assertError(api.post("/internet-gateways/" + id + "/detach", alice.token(), ""), 400, "MissingParameter");
        assertError(api.post("/internet-gateways/" + id + "/detach", alice.token(), json("vpc_id", 7)), 400,
                "InvalidParameterValue");

        assertEquals("detached", ok(api.post("/internet-gateways/" + id + "/detach", alice.token(),
                json("vpc_id", vpcId))).text("state"));
        assertEquals(2, ok(api.get("/internet-gateways", alice.token())).body().path("items").size());
        noContent(api.delete("/internet-gateways/" + id, alice.token()));
        assertError(api.get("/internet-gateways/" + id, alice.token()), 404, "InvalidInternetGatewayID.NotFound");
        noContent(api.delete("/vpcs/" + vpcId, alice.token()));
    }

    @Test
    void securityGroupLifeCycle() {
        Reply vpc = vpc(alice, "10.2.0.0/16");
        String vpcId = vpc.text("id");
        Reply defaultGroup = ok(api.get("/security-groups/" + vpc.text("default_security_group_id"), alice.token()));
        assertTrue(defaultGroup.body().path("is_default").asBoolean());
        assertEquals(vpc.text("default_security_group_id"), defaultGroup.body().path("rules").get(0).path("source").asText());
        assertError(api.delete("/security-groups/" + vpc.text("default_security_group_id"), alice.token()), 400, "CannotDelete");

        Reply web = created(api.post("/security-groups", alice.token(), json("vpc_id", vpcId, "name", "web", "description", "web tier")));
        String webId = web.text("id");
        assertTrue(web.raw().headers().firstValue("Location").orElse("").endsWith("/api/v1/security-groups/" + webId));
        JsonNode outbound = web.body().path("rules").get(0);
        assertEquals(List.of("outbound", "all", "0", "65535", "0.0.0.0/0"), List.of(outbound.path("direction").asText(),
                outbound.path("protocol").asText(), outbound.path("from_port").asText(), outbound.path("to_port").asText(),
                outbound.path("source").asText()));
        assertError(api.post("/security-groups", alice.token(), json("vpc_id", vpcId, "name", "web")), 409, "InvalidGroup.Duplicate");

        Reply https = created(api.post("/security-groups/" + webId + "/rules", alice.token(), json("direction", "inbound",
                "protocol", "tcp", "from_port", 443, "to_port", 443, "source", "0.0.0.0/0", "description", "https")));
        assertEquals("https", https.text("description"));
        assertError(api.post("/security-groups/" + webId + "/rules", alice.token(), json("direction", "inbound",
                "protocol", "tcp", "from_port", 443, "to_port", 443, "source", "0.0.0.0/0")), 409, "InvalidPermission.Duplicate");
        Reply ping = created(api.post("/security-groups/" + webId + "/rules", alice.token(), json("direction", "inbound",
                "protocol", "icmp", "from_port", 8, "source", "10.2.0.0/16")));
        assertEquals(-1, ping.body().path("to_port").asInt());
        assertError(api.post("/security-groups/" + webId + "/rules", alice.token(), json("direction", "inbound",
                "protocol", "tcp", "from_port", 80, "to_port", 70000, "source", "0.0.0.0/0")), 400, "InvalidParameterValue");
        assertError(api.post("/security-groups/" + webId + "/rules", alice.token(), json("direction", "inbound",
                "protocol", "tcp", "from_port", "80", "to_port", 80, "source", "0.0.0.0/0")), 400, "InvalidParameterValue");
        assertError(api.post("/security-groups/" + webId + "/rules", alice.token(), json("direction", "inbound",
                "protocol", "tcp", "from_port", 80, "to_port", 80, "source", UUID.randomUUID().toString())),
                404, "InvalidGroup.NotFound");

        String dbId = created(api.post("/security-groups", alice.token(), json("vpc_id", vpcId, "name", "db"))).text("id");
        String fromWeb = created(api.post("/security-groups/" + dbId + "/rules", alice.token(), json("direction", "inbound",
                "protocol", "tcp", "from_port", 5432, "to_port", 5432, "source", webId))).text("id");
        assertError(api.delete("/security-groups/" + webId, alice.token()), 409, "DependencyViolation");

        Reply renamed = ok(api.put("/security-groups/" + webId, alice.token(), json("name", "frontend")));
        assertEquals("frontend", renamed.text("name"));
        assertEquals("web tier", renamed.text("description"));
        assertEquals(3, renamed.body().path("rules").size());
        assertEquals(3, ok(api.get("/security-groups?vpc_id=" + vpcId, alice.token())).body().path("items").size());

        noContent(api.delete("/security-groups/" + dbId + "/rules/" + fromWeb, alice.token()));
        assertError(api.delete("/security-groups/" + dbId + "/rules/" + fromWeb, alice.token()), 404,
                "InvalidSecurityGroupRuleId.NotFound");
        noContent(api.delete("/security-groups/" + webId, alice.token()));
        assertError(api.get("/security-groups/" + webId, alice.token()), 404, "InvalidGroup.NotFound");
        assertError(api.get("/security-groups/sg-1", alice.token()), 400, "InvalidGroupId.Malformed");
    }

    @Test
    void networkAclLifeCycle() {
        Reply vpc = vpc(alice, "10.3.0.0/16");
        String vpcId = vpc.text("id");
        String subnetId = subnet(alice, vpcId, "10.3.1.0/24");
        String defaultAcl = vpc.text("default_network_acl_id");
        Reply theDefault = ok(api.get("/network-acls/" + defaultAcl, alice.token()));
        assertEquals(List.of(subnetId), texts(theDefault.body().path("subnet_ids"), null));
        assertEquals(2, theDefault.body().path("entries").size());

        Reply acl = created(api.post("/network-acls", alice.token(), json("vpc_id", vpcId, "name", "strict")));
        String aclId = acl.text("id");
        assertTrue(acl.raw().headers().firstValue("Location").orElse("").endsWith("/api/v1/network-acls/" + aclId));
        assertEquals(0, acl.body().path("entries").size());

        Reply entry = created(api.post("/network-acls/" + aclId + "/entries", alice.token(), json("rule_number", 100,
                "direction", "inbound", "protocol", "tcp", "from_port", 22, "to_port", 22, "cidr_block", "10.0.0.0/8",
                "action", "allow")));
        assertEquals(100, entry.body().path("rule_number").asInt());
        assertError(api.post("/network-acls/" + aclId + "/entries", alice.token(), json("rule_number", 100,
                "direction", "inbound", "protocol", "all", "cidr_block", "0.0.0.0/0", "action", "deny")),
                409, "NetworkAclEntryAlreadyExists");
        assertError(api.post("/network-acls/" + aclId + "/entries", alice.token(), json("rule_number", 32767,
                "direction", "inbound", "protocol", "all", "cidr_block", "0.0.0.0/0", "action", "deny")),
                400, "InvalidNetworkAclEntry.Range");
        created(api.post("/network-acls/" + aclId + "/entries", alice.token(), json("rule_number", 100,
                "direction", "outbound", "protocol", "all", "cidr_block", "0.0.0.0/0", "action", "allow")));

        Reply associated = ok(api.post("/network-acls/" + aclId + "/associations", alice.token(), json("subnet_id", subnetId)));
        assertEquals(List.of(subnetId), texts(associated.body().path("subnet_ids"), null));
        assertEquals(0, ok(api.get("/network-acls/" + defaultAcl, alice.token())).body().path("subnet_ids").size());
        assertError(api.delete("/network-acls/" + aclId, alice.token()), 409, "DependencyViolation");
        assertError(api.delete("/network-acls/" + defaultAcl, alice.token()), 400, "CannotDelete");

        noContent(api.delete("/network-acls/" + aclId + "/entries/inbound/100", alice.token()));
        assertError(api.delete("/network-acls/" + aclId + "/entries/inbound/100", alice.token()), 404,
                "InvalidNetworkAclEntry.NotFound");
        assertError(api.delete("/network-acls/" + aclId + "/entries/inbound/abc", alice.token()), 400, "InvalidParameterValue");
        assertError(api.delete("/network-acls/" + aclId + "/entries/inbound/0", alice.token()), 400,
                "InvalidNetworkAclEntry.Range");
        assertError(api.delete("/network-acls/" + aclId + "/entries/sideways/100", alice.token()), 400, "InvalidParameterValue");
        assertEquals(List.of("outbound"), texts(ok(api.get("/network-acls/" + aclId, alice.token())).body().path("entries"),
                "direction"));

        ok(api.post("/network-acls/" + defaultAcl + "/associations", alice.token(), json("subnet_id", subnetId)));
        noContent(api.delete("/network-acls/" + aclId, alice.token()));
        assertError(api.get("/network-acls/" + aclId, alice.token()), 404, "InvalidNetworkAclID.NotFound");
        assertEquals(1, ok(api.get("/network-acls?vpc_id=" + vpcId, alice.token())).body().path("items").size());
    }

    @Test
    void elasticIpLifeCycle() {
        String vpcId = vpc(alice, "10.0.0.0/16").text("id");
        String subnetId = subnet(alice, vpcId, "10.0.1.0/24");
        String instance = instance(alice, subnetId);

        Reply allocated = created(api.post("/elastic-ips", alice.token(), ""));
        String id = allocated.text("id");
        assertTrue(allocated.raw().headers().firstValue("Location").orElse("").endsWith("/api/v1/elastic-ips/" + id));
        assertTrue(allocated.text("address").startsWith("203.0.113."), allocated.body().toString());
        assertTrue(allocated.body().path("instance_id").isNull());
        assertEquals(allocated.body(), ok(api.get("/elastic-ips/" + id, alice.token())).body());
        String second = created(api.post("/elastic-ips", alice.token(), "{}")).text("id");
        assertError(api.post("/elastic-ips", alice.token(), json("address", "203.0.113.99")), 400, "UnknownParameter");

        assertError(api.post("/elastic-ips/" + id + "/associate", alice.token(), json("instance_id", instance)),
                409, "Gateway.NotAttached");
        String gateway = attachedGateway(alice, vpcId);
        Reply associated = ok(api.post("/elastic-ips/" + id + "/associate", alice.token(), json("instance_id", instance)));
        assertEquals(instance, associated.text("instance_id"));
        assertError(api.post("/elastic-ips/" + id + "/associate", alice.token(), json("instance_id", instance)),
                409, "Resource.AlreadyAssociated");
        assertError(api.post("/elastic-ips/" + second + "/associate", alice.token(), json("instance_id", instance)),
                409, "Resource.AlreadyAssociated");
        assertError(api.post("/elastic-ips/" + second + "/associate", alice.token(),
                json("instance_id", UUID.randomUUID().toString())), 404, "InvalidInstanceID.NotFound");
        assertError(api.post("/elastic-ips/" + second + "/associate", alice.token(), json("instance_id", "i-1")),
                400, "InvalidInstanceID.Malformed");
        assertError(api.delete("/elastic-ips/" + id, alice.token()), 409, "InvalidIPAddress.InUse");
        assertError(api.post("/internet-gateways/" + gateway + "/detach", alice.token(), json("vpc_id", vpcId)),
                409, "DependencyViolation");

        assertTrue(ok(api.post("/elastic-ips/" + id + "/disassociate", alice.token(), "")).body().path("instance_id").isNull());
        assertError(api.post("/elastic-ips/" + id + "/disassociate", alice.token(), "{}"), 404, "InvalidAssociationID.NotFound");
        noContent(api.delete("/elastic-ips/" + id, alice.token()));
        assertError(api.get("/elastic-ips/" + id, alice.token()), 404, "InvalidAllocationID.NotFound");
        assertError(api.get("/elastic-ips/eipalloc-1", alice.token()), 400, "InvalidAllocationID.Malformed");
        assertEquals(List.of(second), texts(ok(api.get("/elastic-ips", alice.token())).body().path("items"), "id"));
        assertError(api.send(api.request("/elastic-ips", alice.token()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("please"))), 415, "UnsupportedMediaType");
    }

    @Test
    void tenantsCannotSeeOrTouchEachOthersNetworking() {
        Reply vpc = vpc(alice, "10.4.0.0/16");
        String vpcId = vpc.text("id");
        String subnetId = subnet(alice, vpcId, "10.4.1.0/24");
        String bobsVpc = vpc(bob, "10.4.0.0/16").text("id");
        String table = vpc.text("main_route_table_id");
        String group = vpc.text("default_security_group_id");
        String acl = vpc.text("default_network_acl_id");
        String gateway = attachedGateway(alice, vpcId);
        String address = created(api.post("/elastic-ips", alice.token(), "")).text("id");
        String b = bob.token();

        assertError(api.get("/route-tables/" + table, b), 404, "InvalidRouteTableID.NotFound");
        assertError(api.delete("/route-tables/" + table, b), 404, "InvalidRouteTableID.NotFound");
        assertError(api.post("/route-tables/" + table + "/routes", b,
                json("destination_cidr", "0.0.0.0/0", "target_type", "igw", "target_id", gateway)), 404, "InvalidRouteTableID.NotFound");
        assertError(api.post("/route-tables/" + table + "/associations", b, json("subnet_id", subnetId)), 404,
                "InvalidRouteTableID.NotFound");
        assertError(api.get("/route-tables?vpc_id=" + vpcId, b), 404, "InvalidVpcID.NotFound");
        assertError(api.post("/route-tables", b, json("vpc_id", vpcId)), 404, "InvalidVpcID.NotFound");

        assertError(api.get("/internet-gateways/" + gateway, b), 404, "InvalidInternetGatewayID.NotFound");
        assertError(api.delete("/internet-gateways/" + gateway, b), 404, "InvalidInternetGatewayID.NotFound");
        assertError(api.post("/internet-gateways/" + gateway + "/detach", b, json("vpc_id", vpcId)), 404, "InvalidVpcID.NotFound");
        assertError(api.post("/internet-gateways/" + gateway + "/attach", b, json("vpc_id", bobsVpc)), 404,
                "InvalidInternetGatewayID.NotFound");

        assertError(api.get("/security-groups/" + group, b), 404, "InvalidGroup.NotFound");
        assertError(api.put("/security-groups/" + group, b, json("description", "mine")), 404, "InvalidGroup.NotFound");
        assertError(api.post("/security-groups/" + group + "/rules", b, json("direction", "inbound", "protocol", "all",
                "source", "0.0.0.0/0")), 404, "InvalidGroup.NotFound");
        String bobsGroup = created(api.post("/security-groups", b, json("vpc_id", bobsVpc, "name", "x"))).text("id");
        assertError(api.post("/security-groups/" + bobsGroup + "/rules", b, json("direction", "inbound", "protocol", "all",
                "source", group)), 404, "InvalidGroup.NotFound");

        assertError(api.get("/network-acls/" + acl, b), 404, "InvalidNetworkAclID.NotFound");
        assertError(api.post("/network-acls/" + acl + "/entries", b, json("rule_number", 1, "direction", "inbound",
                "protocol", "all", "cidr_block", "0.0.0.0/0", "action", "deny")), 404, "InvalidNetworkAclID.NotFound");
        assertError(api.delete("/network-acls/" + acl + "/entries/inbound/100", b), 404, "InvalidNetworkAclID.NotFound");

        assertError(api.get("/elastic-ips/" + address, b), 404, "InvalidAllocationID.NotFound");
        assertError(api.delete("/elastic-ips/" + address, b), 404, "InvalidAllocationID.NotFound");
        assertError(api.post("/elastic-ips/" + address + "/disassociate", b, ""), 404, "InvalidAllocationID.NotFound");

        for (String list : List.of("/internet-gateways", "/elastic-ips")) {
            assertEquals(0, ok(api.get(list, b)).body().path("items").size(), list);
        }
        assertEquals(List.of(bobsVpc), texts(ok(api.get("/route-tables", b)).body().path("items"), "vpc_id"));
        assertEquals(List.of(bobsVpc), texts(ok(api.get("/network-acls", b)).body().path("items"), "vpc_id"));
        assertEquals(List.of(bobsVpc, bobsVpc), texts(ok(api.get("/security-groups", b)).body().path("items"), "vpc_id"),
                "bob's default group and x");
        assertEquals(1, ok(api.get("/route-tables", alice.token())).body().path("items").size());
        assertEquals(2, ok(api.get("/network-acls/" + acl, alice.token())).body().path("entries").size());
        assertError(api.get("/route-tables", null), 401, "AuthFailure");
    }
}
