package io.goncloud.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goncloud.api.cluster.WorkerTask.Action;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.rest.HttpApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.goncloud.rest.HttpApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances, their live event stream, and (in the H2 subclass) key pairs, images and worker nodes over HTTP,
 * with the real services on a real database and the test playing the worker: what a client sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ComputeApiContract {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    ApiFixture fixture;
    HttpApi api;
    String admin;
    String imageId;
    String worker;
    Tenant alice;
    Tenant bob;

    abstract TestDatabase.Kind kind();

    record Tenant(String id, String token) {
    }

    @BeforeAll
    void start() {
        fixture = new ApiFixture(kind());
        api = fixture.api;
        admin = fixture.adminToken();
        worker = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        imageId = created(api.post("/images", admin, json("name", "busybox", "source_path",
                rootfsTar("busybox").toString(), "is_public", true))).text("id");
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void tenantsAndALiveWorker() {
        alice = tenant("alice");
        bob = tenant("bob");
        fixture.heartbeat(worker, 64, 65536);
        fixture.takeSent();
    }

    Tenant tenant(String name) {
        String email = name + "-" + UUID.randomUUID() + "@example.test";
        Reply registered = api.post("/auth/register", null, json("username", name, "email", email, "password", "password-" + name));
        assertEquals(201, registered.status(), registered.body().toString());
        Reply login = api.post("/auth/login", null, json("email", email, "password", "password-" + name));
        return new Tenant(registered.text("id"), login.text("access_token"));
    }

    static void assertError(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(code, reply.code(), reply.body().toString());
        assertFalse(reply.text("message").isBlank(), "an error must say what is wrong");
        assertEquals(reply.raw().headers().firstValue("X-Request-Id").orElse(null), reply.text("request_id"));
        assertFalse(reply.raw().body().contains("Exception"), "no stack traces or class names: " + reply.raw().body());
    }

    static Reply created(Reply reply) {
        assertEquals(201, reply.status(), reply.body().toString());
        return reply;
    }

    static Reply ok(Reply reply) {
        assertEquals(200, reply.status(), reply.body().toString());
        return reply;
    }

    /** A subnet 10.0.1.0/24 in a new VPC of the owner. */
    String subnet(Tenant owner) {
        String vpc = created(api.post("/vpcs", owner.token(), json("name", "net", "cidr_block", "10.0.0.0/16"))).text("id");
        return created(api.post("/subnets", owner.token(), json("vpc_id", vpc, "name", "s", "cidr_block", "10.0.1.0/24")))
                .text("id");
    }

    Reply launch(Tenant owner, String subnetId) {
        return api.post("/instances", owner.token(), json("instance_type", "t2.nano", "image_id", imageId,
                "subnet_id", subnetId));
    }

    /** The one task the controller sent since the last look, which must be {@code action} for the instance. */
    ApiFixture.Sent onlyTask(String instanceId, Action action) {
        List<ApiFixture.Sent> sent = fixture.takeSent();
        assertEquals(1, sent.size(), "one task: " + sent);
        assertEquals(instanceId, sent.get(0).task().instanceId());
        assertEquals(action, sent.get(0).task().action());
        return sent.get(0);
    }

    String state(Tenant owner, String instanceId) {
        return ok(api.get("/instances/" + instanceId, owner.token())).text("state");
    }

    /** A small root-file-system tarball (one file, /sbin/init), as an operator would import. */
    static Path rootfsTar(String name) {
        byte[] content = "#!/bin/sh\nexec sleep infinity\n".getBytes(StandardCharsets.US_ASCII);
        byte[] header = new byte[512];
        put(header, 0, "sbin/init");
        put(header, 100, "0000755");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        byte[] tar = new byte[512 + 512 + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        try {
            Path file = Files.createTempFile(name, ".tar");
            file.toFile().deleteOnExit();
            return Files.write(file, tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(byte[] block, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anInstanceLivesThroughTheEc2LifeCycleAsItsWorkerReports() {
        String subnet = subnet(alice);
        Reply launched = created(api.post("/instances", alice.token(), json("name", "web", "instance_type", "t2.nano",
                "image_id", imageId, "subnet_id", subnet, "user_data", "#!/bin/sh\necho hi", "tags", Map.of("env", "test"))));
        String id = launched.text("id");
        assertEquals("pending", launched.text("state"));
        assertEquals("10.0.1.4", launched.text("private_ip"), "the subnet's first usable address");
        assertEquals("web", launched.text("name"));
        assertEquals("t2.nano", launched.text("instance_type"));
        assertEquals(subnet, launched.text("subnet_id"));
        assertEquals("test", launched.body().path("tags").path("env").asText());
        assertEquals(1, launched.body().path("security_group_ids").size(), "the VPC's default group");
        assertTrue(launched.body().has("worker_node_id") && launched.body().has("public_ip"));
        assertTrue(launched.raw().headers().firstValue("Location").orElse("").endsWith("/api/v1/instances/" + id));
        assertEquals("pending", state(alice, id));

        fixture.answer(onlyTask(id, Action.LAUNCH), PowerState.RUNNING);
        assertEquals("running", state(alice, id));

        assertEquals("stopping", ok(api.post("/instances/" + id + "/stop", alice.token(), "")).text("state"));
        fixture.answer(onlyTask(id, Action.STOP), PowerState.STOPPED);
        assertEquals("stopped", state(alice, id));
        assertError(api.post("/instances/" + id + "/restart", alice.token(), "{}"), 409, "IncorrectInstanceState");

        assertEquals("pending", ok(api.post("/instances/" + id + "/start", alice.token(), "{}")).text("state"));
        fixture.answer(onlyTask(id, Action.LAUNCH), PowerState.RUNNING); // "create if missing, then run"
        assertEquals("running", state(alice, id));

        assertEquals("running", ok(api.post("/instances/" + id + "/restart", alice.token(), "")).text("state"));
        fixture.answer(onlyTask(id, Action.REBOOT), PowerState.RUNNING);
        assertEquals("running", state(alice, id));

        Reply renamed = ok(api.put("/instances/" + id, alice.token(), json("name", "api", "tags", Map.of("tier", "1"))));
        assertEquals("api", renamed.text("name"));
        assertEquals(Map.of("tier", "1"), JSON.convertValue(renamed.body().path("tags"), Map.class));
        assertEquals(1, ok(api.get("/instances?state=running", alice.token())).body().path("items").size());
        assertEquals(0, ok(api.get("/instances?state=stopped", alice.token())).body().path("items").size());

        Reply terminating = ok(api.delete("/instances/" + id, alice.token()));
        assertEquals("shutting-down", terminating.text("state"));
        fixture.answer(onlyTask(id, Action.TERMINATE), null);
        assertEquals("terminated", state(alice, id));
        assertError(api.post("/instances/" + id + "/start", alice.token(), ""), 409, "IncorrectInstanceState");
        JsonNode history = ok(api.get("/instances/" + id + "/events", alice.token())).body();
        assertEquals(List.of("pending", "running", "stopping", "stopped", "pending", "running", "shutting-down",
                "terminated"), history.path("items").findValuesAsText("state"));
        assertTrue(history.path("items").get(0).has("created_at") && history.path("next_page_token").isNull());
        assertError(api.get("/instances/" + id + "/events", bob.token()), 404, "InvalidInstanceID.NotFound");
        assertEquals("10.0.1.4", created(launch(alice, subnet)).text("private_ip"), "the address is free again");
    }

    @Test
    void consoleOutputIsReadFromTheWorker() throws Exception {
        String id = launch(alice, subnet(alice)).text("id");
        fixture.answer(onlyTask(id, Action.LAUNCH), PowerState.RUNNING);
        String path = "/instances/" + id + "/console-output";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Reply> pending = pool.submit(() -> api.get(path, alice.token()));
            ApiFixture.Sent request = fixture.sent.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(request != null, "the controller asks the worker");
            assertEquals(Action.CONSOLE_OUTPUT, request.task().action());
            assertEquals(worker, request.hostId());
            fixture.answerConsole(request, "gcp-init: ready\n");
            Reply console = ok(pending.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(id, console.text("instance_id"));
            assertEquals("gcp-init: ready\n", console.text("output"));
            assertFalse(console.text("timestamp").isBlank());
        } finally {
            pool.shutdownNow();
        }
        assertEquals("running", state(alice, id), "asking changes nothing");

        assertError(api.get(path, bob.token()), 404, "InvalidInstanceID.NotFound");
        assertTrue(fixture.takeSent().isEmpty());

        fixture.instances.setConsoleOutputTimeout(Duration.ofMillis(300));
        try {
            assertError(api.get(path, alice.token()), 503, "ServiceUnavailable");
            onlyTask(id, Action.CONSOLE_OUTPUT);
        } finally {
            fixture.instances.setConsoleOutputTimeout(io.goncloud.core.compute.InstanceServiceImpl.CONSOLE_OUTPUT_TIMEOUT);
        }

        ok(api.delete("/instances/" + id, alice.token()));
        fixture.answer(onlyTask(id, Action.TERMINATE), null);
        Reply empty = ok(api.get(path, alice.token()));
        assertEquals("", empty.text("output"), "a terminated instance has no console left");
        assertTrue(fixture.takeSent().isEmpty());
    }

    @Test
    void badLaunchesAreRefusedWithEc2Codes() {
        String subnet = subnet(alice);
        String bobsSubnet = subnet(bob);
        assertError(api.post("/instances", alice.token(), json("instance_type", "m9.huge", "image_id", imageId,
                "subnet_id", subnet)), 400, "InvalidInstanceType");
        assertError(api.post("/instances", alice.token(), json("instance_type", "t2.nano", "image_id",
                UUID.randomUUID().toString(), "subnet_id", subnet)), 404, "InvalidAMIID.NotFound");
        assertError(launch(alice, bobsSubnet), 404, "InvalidSubnetID.NotFound");
        assertError(launch(alice, UUID.randomUUID().toString()), 404, "InvalidSubnetID.NotFound");
        assertError(api.post("/instances", alice.token(), json("instance_type", "t2.nano", "image_id", imageId,
                "subnet_id", subnet, "key_name", "nope")), 404, "InvalidKeyPair.NotFound");
        assertError(api.post("/instances", alice.token(), json("instance_type", "t2.nano", "image_id", imageId,
                "subnet_id", subnet, "count", 2)), 400, "UnknownParameter");
        assertError(api.post("/instances", alice.token(), json("instance_type", "t2.nano", "image_id", imageId,
                "subnet_id", subnet, "security_group_ids", "sg-1")), 400, "InvalidParameterValue");
        assertError(api.get("/instances?state=sleeping", alice.token()), 400, "InvalidParameterValue");
        assertError(api.get("/instances/not-an-id", alice.token()), 400, "InvalidInstanceID.Malformed");
        assertEquals(0, ok(api.get("/instances", alice.token())).body().path("items").size(), "nothing written");

        ok(api.post("/nodes/" + worker + "/drain", admin, ""));
        try {
            assertError(launch(alice, subnet), 503, "InsufficientInstanceCapacity");
        } finally {
            ok(api.post("/nodes/" + worker + "/undrain", admin, ""));
        }
        assertTrue(fixture.takeSent().isEmpty());
        created(launch(alice, subnet));
    }

    @Test
    void anotherTenantsInstanceIsNotFound() {
        String id = created(launch(alice, subnet(alice))).text("id");
        for (Reply reply : List.of(api.get("/instances/" + id, bob.token()),
                api.put("/instances/" + id, bob.token(), json("name", "mine")),
                api.post("/instances/" + id + "/stop", bob.token(), ""),
                api.delete("/instances/" + id, bob.token()))) {
            assertError(reply, 404, "InvalidInstanceID.NotFound");
        }
        assertEquals(0, ok(api.get("/instances", bob.token())).body().path("items").size());
        assertEquals(List.of(id), ok(api.get("/instances", alice.token())).body().path("items")
                .findValuesAsText("id"));
        assertEquals("pending", state(alice, id), "untouched");
        assertError(api.get("/instances", null), 401, "AuthFailure");
    }

    /**
     * A stream looks at the caller's instances whenever the database announces a change; its look must not
     * announce one itself, or every open console would spin (and wake the network agent) as long as it stays open.
     */
    @Test
    void anOpenStreamStaysQuietWhileNothingChanges() throws InterruptedException {
        String id = created(launch(alice, subnet(alice))).text("id");
        try (EventStream events = EventStream.open(fixture.api.base(), "/events", alice.token())) {
            events.next(e -> e.name().equals("hello"), WAIT, "hello");
            assertEquals(id, parse(events.next(e -> e.name().equals("instance"), WAIT, "the instance").data())
                    .path("id").asText());
            long before = fixture.changes.generation();

            Thread.sleep(1000); // a window in which nothing happens: nothing may be announced in it

            assertEquals(before, fixture.changes.generation(), "changes announced while nothing changed");
        }
    }

    @Test
    void theEventStreamTellsTheCallerAboutItsInstancesAsTheyChange() {
        String subnet = subnet(alice);
        String bobs = created(launch(bob, subnet(bob))).text("id");
        fixture.takeSent();
        try (EventStream events = EventStream.open(fixture.api.base(), "/events", alice.token())) {
            assertEquals(200, events.status());
            assertTrue(events.response().headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            events.next(e -> e.name().equals("hello"), WAIT, "hello");

            String id = created(launch(alice, subnet)).text("id");
            JsonNode pending = parse(events.next(e -> e.name().equals("instance"), WAIT, "the launch").data());
            assertEquals(id, pending.path("id").asText(), "only the caller's instances: " + pending);
            assertEquals("pending", pending.path("state").asText());
            assertEquals("10.0.1.4", pending.path("private_ip").asText());

            fixture.answer(onlyTask(id, Action.LAUNCH), PowerState.RUNNING);
            EventStream.Event running = events.next(e -> e.name().equals("instance"), WAIT, "running");
            JsonNode body = parse(running.data());
            assertEquals(id, body.path("id").asText());
            assertEquals("running", body.path("state").asText());
            assertEquals(body.path("updated_at").asText(), running.id(), "the id to resume from");
            assertEquals(parse(ok(api.get("/instances/" + id, alice.token())).raw().body()), body,
                    "the same JSON as GET /instances/{id}");

            ok(api.delete("/instances/" + bobs, bob.token())); // bob's change wakes the stream but is not alice's
            ok(api.post("/instances/" + id + "/stop", alice.token(), ""));
            JsonNode stopping = parse(events.next(e -> e.name().equals("instance"), WAIT, "stopping").data());
            assertEquals(id, stopping.path("id").asText());
            assertEquals("stopping", stopping.path("state").asText());
        }
    }
}
