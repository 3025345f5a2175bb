package io.goncloud.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goncloud.core.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static io.goncloud.rest.HttpApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route and verb of the OpenAPI document, driven from the document itself over real HTTP:
 * <ul>
 *   <li>bad input (malformed and non-object JSON, each declared property with a wrong type, out-of-range and
 *       oversized values, unknown properties, malformed path ids, wrong-typed query parameters) answers 4xx in
 *       the error shape and changes nothing in the database;</li>
 *   <li>another tenant's ids answer 404 (admin routes: 403) on every route that takes an id, and change nothing.</li>
 * </ul>
 * Seeded (GCP_FUZZ_SEED, printed) and bounded (GCP_FUZZ_ROUNDS rounds of random variants per operation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SKIPPED_PATHS = List.of("/events", "/openapi.json", "/health");

    private ApiFixture fixture;
    private JsonNode document;
    private final HttpClient client = HttpClient.newHttpClient();
    private String alice;
    private String bob;
    private final Map<String, String> aliceIds = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        fixture = new ApiFixture(TestDatabase.Kind.H2);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.json")) {
            document = JSON.readTree(in);
        }
        alice = token("alice");
        bob = token("bob");
        createAlicesResources();
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private String token(String name) {
        String email = name + "-" + UUID.randomUUID() + "@example.test";
        fixture.api.post("/auth/register", null, json("username", name, "email", email, "password", "password-" + name));
        return fixture.api.post("/auth/login", null, json("email", email, "password", "password-" + name))
                .text("access_token");
    }

    /** One resource of each kind a tenant owns, so that every {id} route has a real target of alice's. */
    private void createAlicesResources() {
        HttpApi api = fixture.api;
        JsonNode vpc = api.post("/vpcs", alice, json("name", "fuzz", "cidr_block", "10.42.0.0/16")).body();
        aliceIds.put("/vpcs", vpc.path("id").asText());
        aliceIds.put("/subnets", api.post("/subnets", alice, json("vpc_id", vpc.path("id").asText(), "name", "s",
                "cidr_block", "10.42.1.0/24")).text("id"));
        aliceIds.put("/route-tables", vpc.path("main_route_table_id").asText());
        aliceIds.put("/security-groups", vpc.path("default_security_group_id").asText());
        aliceIds.put("/network-acls", api.get("/network-acls?vpc_id=" + vpc.path("id").asText(), alice)
                .body().path("items").path(0).path("id").asText());
        aliceIds.put("/internet-gateways", api.post("/internet-gateways", alice, json("name", "igw")).text("id"));
        aliceIds.put("/elastic-ips", api.post("/elastic-ips", alice, "{}").text("id"));
        aliceIds.put("/key-pairs", api.post("/key-pairs", alice, json("name", "fuzz-key")).text("id"));
        fixture.heartbeat("fuzz-worker", 4, 4096);
        String image = api.post("/images", fixture.adminToken(), json("name", "busybox", "source_path",
                ComputeApiContract.rootfsTar("busybox").toString(), "is_public", true)).text("id");
        aliceIds.put("/instances", api.post("/instances", alice, json("name", "i", "instance_type", "t2.nano",
                "image_id", image, "subnet_id", aliceIds.get("/subnets"))).text("id"));
        aliceIds.put("/images", image);
        fixture.storageHost("fuzz-storage", 100, List.of(), List.of());
        String volume = api.post("/volumes", alice, json("name", "v", "size_gib", 1)).text("id");
        fixture.storageHost("fuzz-storage", 100, List.of(volume), List.of());
        String snapshot = api.post("/snapshots", alice, json("volume_id", volume)).text("id");
        fixture.storageHost("fuzz-storage", 100, List.of(volume), List.of(snapshot));
        aliceIds.put("/volumes", volume);
        aliceIds.put("/snapshots", snapshot);
        aliceIds.forEach((kind, id) -> assertTrue(id.matches("[0-9a-f-]{36}"), kind + " of alice's: " + id));
    }

    // ---------------------------------------------------------------------------------------------

    private record Answer(int status, String body) {
    }

    private Answer send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.api.base() + path))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    /** Row counts of every table but the refresh tokens (logging in writes those): what a write would change. */
    private Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = fixture.testDb.dataSource().getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'PUBLIC' AND table_type = 'BASE TABLE'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                if (!table.equalsIgnoreCase("refresh_tokens") && !table.startsWith("flyway")) {
                    try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
                        r.next();
                        counts.put(table, r.getLong(1));
                    }
                }
            }
        }
        return counts;
    }

    /** The ids to put in a path's parameters: alice's resources by the path's first segment. */
    private String fill(String template, Map<String, String> ids, String fallback) {
        String kind = "/" + template.split("/")[1];
        return template.replace("{id}", ids.getOrDefault(kind, fallback))
                .replace("{subnet_id}", aliceIds.get("/subnets"))
                .replace("{rule_id}", fallback).replace("{direction}", "inbound").replace("{rule_number}", "100");
    }

    private List<String[]> operations() {
        List<String[]> operations = new ArrayList<>();
        for (Iterator<String> paths = document.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            if (SKIPPED_PATHS.contains(path)) {
                continue;
            }
            for (Iterator<String> verbs = document.path("paths").path(path).fieldNames(); verbs.hasNext(); ) {
                String verb = verbs.next();
                if (!verb.equals("parameters")) {
                    operations.add(new String[] {verb.toUpperCase(Locale.ROOT), path});
                }
            }
        }
        return operations;
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/components/schemas/")
                ? document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()))
                : schema;
    }

    /** A value of the wrong JSON type for a property of this schema, chosen by the random source. */
    private static JsonNode wrongValue(JsonNode property, Random random) {
        String type = property.path("type").asText("");
        List<JsonNode> candidates = new ArrayList<>();
        if (!type.equals("string")) {
            candidates.add(JSON.getNodeFactory().textNode("x".repeat(random.nextInt(3) == 0 ? 100_000 : 7)));
        }
        if (!type.equals("integer") && !type.equals("number")) {
            candidates.add(JSON.getNodeFactory().numberNode(random.nextInt(3) - 1));
        }
        if (!type.equals("boolean")) {
            candidates.add(JSON.getNodeFactory().booleanNode(random.nextBoolean()));
        }
        if (!type.equals("array")) {
            candidates.add(JSON.createArrayNode().add("a").add(1));
        }
        if (!type.equals("object")) {
            candidates.add(JSON.createObjectNode().put("nested", "{}"));
        }
        if (type.equals("integer")) {
            // Out of every range the API takes: beyond 32 and 64 bits, fractional, negative.
            candidates.add(JSON.getNodeFactory().numberNode(new java.math.BigInteger("99999999999999999999999")));
            candidates.add(JSON.getNodeFactory().numberNode(2.5));
            candidates.add(JSON.getNodeFactory().numberNode(-2147483649L));
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** Bodies that are bad whatever else they hold (JSON null too, where a body is required). */
    private List<String> badBodies(JsonNode schema, boolean required, Random random, int rounds) {
        List<String> bodies = new ArrayList<>(List.of("{", "[1, 2]", "\"text\"", "42", "{\"a\": }",
                "{\"unknown_parameter_" + random.nextInt(1000) + "\": 1}", "{\"" + "k".repeat(5000) + "\": 1}",
                "{\"name\": \"\\ud800\"}"));
        if (required) {
            bodies.add("null");
        }
        JsonNode properties = resolve(schema).path("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        for (int i = 0; i < rounds && !names.isEmpty(); i++) {
            ObjectNode body = JSON.createObjectNode();
            String name = names.get(random.nextInt(names.size()));
            body.set(name, wrongValue(properties.path(name), random));
            bodies.add(body.toString());
        }
        return bodies;
    }

    @Test
    void badInputAnswers4xxInTheErrorShapeAndChangesNothing() throws Exception {
        long seed = Long.parseLong(System.getenv().getOrDefault("GCP_FUZZ_SEED", Long.toString(System.nanoTime())));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("GCP_FUZZ_ROUNDS", "80"));
        Random random = new Random(seed);
        System.out.println("[fuzz] seed " + seed + " (GCP_FUZZ_SEED repeats a run), " + rounds + " rounds per operation");
        Map<String, Long> before = rowCounts();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (String[] operation : operations()) {
            String verb = operation[0];
            String template = operation[1];
            JsonNode spec = document.path("paths").path(template).path(verb.toLowerCase(Locale.ROOT));
            String token = template.startsWith("/auth/") ? null : alice;
            List<String> paths = new ArrayList<>();
            if (template.contains("{")) {
                for (String bad : List.of("not-an-id", "00000000-0000-0000-0000-00000000000g", "x".repeat(300),
                        "%2e%2e", "%00", UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + "0")) {
                    paths.add(template.replaceAll("\\{[a-z_]+}", bad));
                }
            }
            String realPath = fill(template, aliceIds, UUID.randomUUID().toString());
            JsonNode requestBody = spec.path("requestBody").path("content").path("application/json").path("schema");
            List<String> bodies = requestBody.isMissingNode() ? List.of()
                    : badBodies(requestBody, spec.path("requestBody").path("required").asBoolean(), random, rounds);
            for (String path : paths) { // malformed ids, with an empty object where a body is taken
                Answer a = send(verb, path, token, requestBody.isMissingNode() ? null : "{}");
                requests++;
                check(failures, verb, path, "{}", a);
            }
            for (String body : bodies) {
                Answer a = send(verb, realPath, token, body);
                requests++;
                check(failures, verb, realPath, body, a);
            }
            for (JsonNode parameter : spec.path("parameters")) { // wrong-typed query parameters
                if (parameter.path("in").asText().equals("query") && !parameter.path("schema").path("type").asText().equals("string")) {
                    String query = realPath + "?" + parameter.path("name").asText() + "="
                            + URLEncoder.encode(random.nextBoolean() ? "-1" : "lots", StandardCharsets.UTF_8);
                    Answer a = send(verb, query, token, null);
                    requests++;
                    check(failures, verb, query, null, a);
                }
            }
        }
        System.out.println("[fuzz] " + requests + " requests over " + operations().size() + " operations, "
                + failures.size() + " wrong answers");
        assertEquals(List.of(), failures.subList(0, Math.min(failures.size(), 40)), "seed " + seed);
        assertEquals(before, rowCounts(), "bad input changed the database (seed " + seed + ")");
        assertTrue(requests > 500, "the document drove only " + requests + " requests");
    }

    /**
     * Paths with a NUL or dot segments are answered by Jetty or CXF before the API sees them (400 "Bad Message", or
     * 404 once "/.." leaves the API); still a 4xx, but not in the API's error shape.
     */
    private static boolean beforeTheApi(String path) {
        return path.contains("%00") || path.contains("%2e%2e");
    }

    private static void check(List<String> failures, String verb, String path, String body, Answer a) {
        if (beforeTheApi(path) && a.status() >= 400 && a.status() < 500) {
            return;
        }
        String where = verb + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path)
                + (body == null ? "" : " " + (body.length() > 120 ? body.substring(0, 120) + "..." : body));
        if (a.status() < 400 || a.status() >= 500) {
            failures.add(where + " -> " + a.status() + " " + abbreviate(a.body()));
            return;
        }
        try {
            JsonNode error = JSON.readTree(a.body());
            if (!error.path("code").isTextual() || !error.path("message").isTextual()
                    || !error.path("request_id").isTextual() || error.size() != 3) {
                failures.add(where + " -> " + a.status() + " not in the error shape: " + abbreviate(a.body()));
            }
        } catch (Exception e) {
            failures.add(where + " -> " + a.status() + " not JSON: " + abbreviate(a.body()));
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Test
    void anotherTenantsIdsAnswerNotFoundOnEveryRouteAndChangeNothing() throws Exception {
        Map<String, Long> before = rowCounts();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (String[] operation : operations()) {
            String verb = operation[0];
            String template = operation[1];
            String kind = "/" + template.split("/")[1];
            if (!template.contains("{id}") || kind.equals("/users")) {
                continue;
            }
            String path = fill(template, aliceIds, UUID.randomUUID().toString());
            JsonNode spec = document.path("paths").path(template).path(verb.toLowerCase(Locale.ROOT));
            String body = spec.has("requestBody") ? validishBody(template) : null;
            if (template.equals("/route-tables/{id}/routes") && verb.equals("DELETE")) {
                path += "?destination_cidr=0.0.0.0/0";
            }
            Answer a = send(verb, path, bob, body);
            requests++;
            int expected = kind.equals("/nodes") || kind.equals("/quotas") ? 403 : 404; // admin routes
            // A public image is everyone's to read; deleting it is an admin's alone.
            if (kind.equals("/images")) {
                expected = verb.equals("GET") ? 200 : 403;
            }
            if (a.status() != expected) {
                failures.add(verb + " " + path + (body == null ? "" : " " + body) + " -> " + a.status() + " "
                        + abbreviate(a.body()) + " (wanted " + expected + ")");
            }
        }
        System.out.println("[fuzz] cross-tenant: " + requests + " requests, " + failures.size() + " wrong answers");
        assertEquals(List.of(), failures);
        assertEquals(before, rowCounts(), "bob changed alice's resources");
        assertTrue(requests >= 30, "only " + requests + " routes take an id");
    }

    /** A body that would be accepted for alice's own resource, so that only ownership decides. */
    private String validishBody(String template) {
        String subnet = aliceIds.get("/subnets");
        return switch (template) {
            case "/vpcs/{id}", "/subnets/{id}", "/instances/{id}", "/volumes/{id}" -> json("name", "bobs-now");
            case "/security-groups/{id}" -> json("name", "bobs-now", "description", "x");
            case "/route-tables/{id}/routes" -> json("destination_cidr", "0.0.0.0/0", "target_type", "igw",
                    "target_id", aliceIds.get("/internet-gateways"));
            case "/route-tables/{id}/associations", "/network-acls/{id}/associations" -> json("subnet_id", subnet);
            case "/internet-gateways/{id}/attach", "/internet-gateways/{id}/detach" -> json("vpc_id", aliceIds.get("/vpcs"));
            case "/security-groups/{id}/rules" -> json("direction", "inbound", "protocol", "tcp", "from_port", 22,
                    "to_port", 22, "source", "0.0.0.0/0");
            case "/network-acls/{id}/entries" -> json("rule_number", 50, "direction", "inbound", "protocol", "tcp",
                    "from_port", 22, "to_port", 22, "cidr_block", "0.0.0.0/0", "action", "allow");
            case "/elastic-ips/{id}/associate", "/volumes/{id}/attach" -> json("instance_id", aliceIds.get("/instances"));
            default -> "{}";
        };
    }
}
