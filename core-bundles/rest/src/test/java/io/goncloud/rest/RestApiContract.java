package io.goncloud.rest;

import io.goncloud.core.testing.TestDatabase;
import io.goncloud.rest.HttpApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.util.UUID;

import static io.goncloud.rest.HttpApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API over HTTP, on CXF's Jetty transport, with the real services on a real database: what
 * a client sees, including every error path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RestApiContract {

    private ApiFixture fixture;
    private HttpApi api;
    private String alice;
    private String bob;

    abstract TestDatabase.Kind kind();

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
        alice = login(register("alice"), "password-alice");
        bob = login(register("bob"), "password-bob");
    }

    private String register(String name) {
        String email = name + "-" + UUID.randomUUID() + "@example.test";
        Reply reply = api.post("/auth/register", null, json("username", name, "email", email, "password", "password-" + name));
        assertEquals(201, reply.status(), reply.body().toString());
        return email;
    }

    private String login(String email, String password) {
        Reply reply = api.post("/auth/login", null, json("email", email, "password", password));
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.text("access_token");
    }

    private static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(code, reply.code(), reply.body().toString());
        assertFalse(reply.text("message").isBlank(), "an error must say what is wrong");
        assertEquals(reply.raw().headers().firstValue("X-Request-Id").orElse(null), reply.text("request_id"));
        assertFalse(reply.raw().body().contains("Exception"), "no stack traces or class names: " + reply.raw().body());
    }

    private int vpcCount(String token) {
        return api.get("/vpcs?limit=1000", token).body().path("items").size();
    }

    @Test
    void registerNeverEchoesThePasswordAndRejectsDuplicates() {
        String email = "carol-" + UUID.randomUUID() + "@example.test";
        Reply created = api.post("/auth/register", null, json("username", "carol", "email", email, "password", "secret-pass"));
        assertEquals(201, created.status());
        assertEquals("user", created.text("role"));
        assertFalse(created.raw().body().contains("secret-pass"));
        assertFalse(created.body().has("password"));
        assertError(api.post("/auth/register", null, json("username", "carol", "email", email.toUpperCase(),
                "password", "secret-pass")), 409, "InvalidUser.Duplicate");
        assertError(api.post("/auth/register", null, json("username", "dave", "email", "not-an-email",
                "password", "secret-pass")), 400, "InvalidParameterValue");
        assertError(api.post("/auth/register", null, json("username", "dave", "email", "d@example.test",
                "password", "short")), 400, "InvalidParameterValue");
    }

    @Test
    void loginGivesBearerTokensAndRefreshRotates() {
        String email = register("erin");
        Reply tokens = api.post("/auth/login", null, json("email", email, "password", "password-erin"));
        assertEquals("Bearer", tokens.text("token_type"));
        assertEquals(900, tokens.body().path("expires_in").asInt());
        String refresh = tokens.text("refresh_token");
        Reply rotated = api.post("/auth/refresh", null, json("refresh_token", refresh));
        assertEquals(200, rotated.status(), rotated.body().toString());
        assertNotEquals(refresh, rotated.text("refresh_token"));
        assertEquals(200, api.get("/vpcs", rotated.text("access_token")).status());
        assertError(api.post("/auth/refresh", null, json("refresh_token", refresh)), 401, "InvalidRefreshToken");
        assertError(api.post("/auth/login", null, json("email", email, "password", "wrong-password")), 401,
                "InvalidCredentials");
    }

    @Test
    void guessedPasswordsAreSlowedDownAndSessionsEndOnLogoutOrDeactivation() {
        String email = register("gina");
        for (int i = 0; i < 5; i++) {
            assertError(api.post("/auth/login", null, json("email", email, "password", "guess-" + i)), 401,
                    "InvalidCredentials");
        }
        Reply locked = api.post("/auth/login", null, json("email", email, "password", "password-gina"));
        assertError(locked, 429, "RequestLimitExceeded");
        long retryAfter = Long.parseLong(locked.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 300, "Retry-After " + retryAfter);

        Reply tokens = api.post("/auth/login", null, json("email", register("hal"), "password", "password-hal"));
        String access = tokens.text("access_token");
        assertEquals(204, api.post("/auth/logout", null, json("refresh_token", tokens.text("refresh_token"))).status());
        assertError(api.post("/auth/refresh", null, json("refresh_token", tokens.text("refresh_token"))), 401,
                "InvalidRefreshToken");
        assertEquals(204, api.post("/auth/logout", null, json("refresh_token", "unknown")).status());

        String admin = fixture.adminToken();
        String halId = api.get("/users?limit=100", admin).body().path("items").findParents("email").stream()
                .filter(u -> u.path("username").asText().equals("hal")).findFirst().orElseThrow().path("id").asText();
        assertEquals(200, api.get("/vpcs", access).status());
        Reply off = api.post("/users/" + halId + "/deactivate", admin, "{}");
        assertEquals(200, off.status(), off.body().toString());
        assertFalse(off.body().path("is_active").asBoolean());
        assertError(api.get("/vpcs", access), 401, "AuthFailure");
        assertError(api.post("/users/" + halId + "/deactivate", alice, "{}"), 403, "UnauthorizedOperation");
        assertError(api.post("/users/not-an-id/activate", admin, "{}"), 400, "InvalidUserID.Malformed");
        assertEquals(200, api.post("/users/" + halId + "/activate", admin, "{}").status());
    }

    @Test
    void everythingElseNeedsAValidToken() {
        assertError(api.get("/vpcs", null), 401, "AuthFailure");
        assertError(api.get("/vpcs", "not.a.jwt"), 401, "AuthFailure");
        assertError(api.post("/vpcs", null, json("name", "x", "cidr_block", "10.0.0.0/16")), 401, "AuthFailure");
        assertEquals(0, vpcCount(alice));
        assertEquals(200, api.get("/health", null).status());
        Reply openApi = api.get("/openapi.json", null);
        assertEquals(200, openApi.status());
        assertEquals("3.0.3", openApi.text("openapi"));
    }

    @Test
    void vpcAndSubnetLifeCycle() {
        Reply vpc = api.post("/vpcs", alice, json("name", "web", "cidr_block", "10.0.0.0/16"));
        assertEquals(201, vpc.status(), vpc.body().toString());
        String vpcId = vpc.text("id");
        assertTrue(vpc.raw().headers().firstValue("Location").orElse("").endsWith("/api/v1/vpcs/" + vpcId));
        assertEquals("10.0.0.0/16", vpc.text("cidr_block"));
        assertFalse(vpc.text("main_route_table_id").isBlank());
        assertFalse(vpc.text("default_security_group_id").isBlank());
        assertFalse(vpc.text("default_network_acl_id").isBlank());

        Reply subnet = api.post("/subnets", alice, json("vpc_id", vpcId, "name", "a", "cidr_block", "10.0.1.0/24"));
        assertEquals(201, subnet.status(), subnet.body().toString());
        assertEquals(251, subnet.body().path("available_ip_address_count").asInt());
        assertTrue(subnet.body().path("is_public").asBoolean());
        assertEquals(1, api.get("/subnets?vpc_id=" + vpcId, alice).body().path("items").size());

        Reply renamed = api.put("/vpcs/" + vpcId, alice, json("name", "web-prod"));
        assertEquals("web-prod", renamed.text("name"));
        assertEquals("web-prod", api.get("/vpcs/" + vpcId, alice).text("name"));

        assertError(api.delete("/vpcs/" + vpcId, alice), 409, "DependencyViolation");
        assertEquals(200, api.get("/vpcs/" + vpcId, alice).status());
        assertEquals(204, api.delete("/subnets/" + subnet.text("id"), alice).status());
        assertEquals(204, api.delete("/vpcs/" + vpcId, alice).status());
        assertError(api.get("/vpcs/" + vpcId, alice), 404, "InvalidVpcID.NotFound");
    }

    @Test
    void invalidRangesAndConflicts() {
        assertError(api.post("/vpcs", alice, json("name", "x", "cidr_block", "10.0.0.0/8")), 400, "InvalidVpc.Range");
        assertError(api.post("/vpcs", alice, json("name", "x", "cidr_block", "10.0.0.0/29")), 400, "InvalidVpc.Range");
        assertError(api.post("/vpcs", alice, json("name", "x", "cidr_block", "300.0.0.0/16")), 400, "InvalidParameterValue");
        assertError(api.post("/vpcs", alice, json("name", "x")), 400, "MissingParameter");
        assertEquals(0, vpcCount(alice), "rejected requests write nothing");
        String vpcId = api.post("/vpcs", alice, json("name", "n", "cidr_block", "172.16.0.0/16")).text("id");
        assertError(api.post("/subnets", alice, json("vpc_id", vpcId, "name", "s", "cidr_block", "172.17.0.0/24")),
                400, "InvalidSubnet.Range");
        assertEquals(201, api.post("/subnets", alice, json("vpc_id", vpcId, "name", "s", "cidr_block", "172.16.0.0/24")).status());
        assertError(api.post("/subnets", alice, json("vpc_id", vpcId, "name", "s2", "cidr_block", "172.16.0.128/25")),
                409, "InvalidSubnet.Conflict");
        assertError(api.post("/subnets", alice, json("vpc_id", UUID.randomUUID().toString(), "name", "s",
                "cidr_block", "172.16.1.0/24")), 404, "InvalidVpcID.NotFound");
        assertError(api.get("/subnets/" + UUID.randomUUID(), alice), 404, "InvalidSubnetID.NotFound");
        assertError(api.get("/vpcs/nonsense", alice), 400, "InvalidVpcID.Malformed");
    }

    @Test
    void tenantsCannotSeeOrTouchEachOthersVpcs() {
        String vpcId = api.post("/vpcs", alice, json("name", "private", "cidr_block", "10.9.0.0/16")).text("id");
        assertError(api.get("/vpcs/" + vpcId, bob), 404, "InvalidVpcID.NotFound");
        assertError(api.put("/vpcs/" + vpcId, bob, json("name", "mine now")), 404, "InvalidVpcID.NotFound");
        assertError(api.delete("/vpcs/" + vpcId, bob), 404, "InvalidVpcID.NotFound");
        assertError(api.get("/subnets?vpc_id=" + vpcId, bob), 404, "InvalidVpcID.NotFound");
        assertEquals(0, vpcCount(bob));
        assertEquals("private", api.get("/vpcs/" + vpcId, alice).text("name"));
        assertError(api.get("/users", bob), 403, "UnauthorizedOperation");
    }

    @Test
    void malformedRequestsGetClearClientErrors() {
        assertError(api.post("/vpcs", alice, "{\"name\": \"x\", "), 400, "MalformedRequest");
        assertError(api.post("/vpcs", alice, "[1, 2]"), 400, "InvalidParameterValue");
        assertError(api.post("/vpcs", alice, json("name", "x", "cidr_block", 10)), 400, "InvalidParameterValue");
        assertError(api.post("/vpcs", alice, json("name", "x", "cidr_block", "10.0.0.0/16", "colour", "red")),
                400, "UnknownParameter");
        assertError(api.post("/subnets", alice, json("vpc_id", UUID.randomUUID().toString(), "name", "s",
                "cidr_block", "10.0.0.0/24", "is_public", "yes")), 400, "InvalidParameterValue");
        assertError(api.post("/vpcs", alice, ""), 400, "MissingParameter");
        assertError(api.send(api.request("/vpcs", alice).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=x"))), 415, "UnsupportedMediaType");
        assertError(api.get("/vpcs?limit=abc", alice), 400, "InvalidParameterValue");
        assertError(api.get("/vpcs?limit=0", alice), 400, "InvalidParameterValue");
        assertError(api.get("/vpcs?page_token=garbage", alice), 400, "InvalidPaginationToken");
        assertError(api.get("/no-such-thing", alice), 404, "InvalidAction");
        assertError(api.send(api.request("/vpcs", alice).method("PATCH", HttpRequest.BodyPublishers.noBody())),
                405, "MethodNotAllowed");
        assertEquals(0, vpcCount(alice));
    }

    @Test
    void oversizedBodiesAreRefused() {
        String big = json("name", "x".repeat(1024 * 1024 + 10), "cidr_block", "10.0.0.0/16");
        assertError(api.post("/vpcs", alice, big), 413, "RequestEntityTooLarge");
        // Without a Content-Length (chunked), the limit is enforced while reading.
        byte[] bytes = big.getBytes();
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(bytes));
        assertError(api.send(api.request("/vpcs", alice).header("Content-Type", "application/json").POST(chunked)),
                413, "RequestEntityTooLarge");
        assertEquals(0, vpcCount(alice));
    }

    @Test
    void listsArePaginated() {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, api.post("/vpcs", bob, json("name", "p" + i, "cidr_block", "10." + i + ".0.0/16")).status());
        }
        Reply first = api.get("/vpcs?limit=2", bob);
        assertEquals(2, first.body().path("items").size());
        String token = first.text("next_page_token");
        Reply second = api.get("/vpcs?limit=2&page_token=" + token, bob);
        assertEquals("p2", second.body().path("items").get(0).path("name").asText());
        Reply last = api.get("/vpcs?limit=2&page_token=" + second.text("next_page_token"), bob);
        assertEquals(1, last.body().path("items").size());
        assertTrue(last.body().path("next_page_token").isNull());
        Reply types = api.get("/instance-types", bob);
        assertEquals(200, types.status());
        assertTrue(types.body().path("items").size() >= 5);
        assertEquals(200, api.get("/images", bob).status());
    }
}
