package io.goncloud.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.goncloud.api.cluster.WorkerTask.Action;
import io.goncloud.api.model.Role;
import io.goncloud.api.service.Caller;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.rest.HttpApi.Reply;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.goncloud.rest.HttpApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract on H2, plus key pairs, images, worker nodes and the event stream's limits (these depend on no
 * database feature the core cases do not already exercise on PostgreSQL).
 */
class ComputeApiH2Test extends ComputeApiContract {

    private static final String PUBLIC_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }

    @Test
    void aGeneratedKeyPairShowsItsPrivateKeyOnceAndLaunchesInstances() {
        Reply generated = created(api.post("/key-pairs", alice.token(), json("name", "laptop")));
        String id = generated.text("id");
        assertTrue(generated.text("private_key").startsWith("-----BEGIN "), generated.body().toString());
        assertTrue(generated.text("fingerprint").startsWith("SHA256:"));
        assertTrue(generated.text("public_key").startsWith("ssh-rsa "));
        assertTrue(generated.raw().headers().firstValue("Location").orElse("").endsWith("/key-pairs/" + id));

        JsonNode listed = ok(api.get("/key-pairs", alice.token())).body().path("items");
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).path("private_key").isNull(), "never again: " + listed);
        assertTrue(ok(api.get("/key-pairs/" + id, alice.token())).body().path("private_key").isNull());
        assertFalse(ok(api.get("/key-pairs/" + id, alice.token())).raw().body().contains("PRIVATE KEY"));

        assertError(api.post("/key-pairs", alice.token(), json("name", "laptop", "public_key", PUBLIC_KEY)), 409,
                "InvalidKeyPair.Duplicate");
        created(api.post("/key-pairs", bob.token(), json("name", "laptop", "public_key", PUBLIC_KEY))); // names are per user
        assertError(api.get("/key-pairs/" + id, bob.token()), 404, "InvalidKeyPair.NotFound");
        assertError(api.delete("/key-pairs/" + id, bob.token()), 404, "InvalidKeyPair.NotFound");

        Reply launched = created(api.post("/instances", alice.token(), json("instance_type", "t2.nano", "image_id",
                imageId, "subnet_id", subnet(alice), "key_name", "laptop")));
        assertEquals("laptop", launched.text("key_name"));
        List<ApiFixture.Sent> sent = fixture.takeSent();
        assertEquals(Action.LAUNCH, sent.get(0).task().action());
        assertEquals(List.of(generated.text("public_key")), sent.get(0).task().spec().sshPublicKeys()
                .stream().map(String::strip).toList());

        assertEquals(204, api.delete("/key-pairs/" + id, alice.token()).status());
        assertError(api.get("/key-pairs/" + id, alice.token()), 404, "InvalidKeyPair.NotFound");
    }

    @Test
    void anImportedKeyPairHasNoPrivateKey() {
        Reply imported = created(api.post("/key-pairs", alice.token(), json("name", "mine", "public_key", PUBLIC_KEY)));
        assertTrue(imported.body().path("private_key").isNull());
        assertTrue(imported.text("public_key").startsWith("ssh-ed25519 AAAA"));
        assertError(api.post("/key-pairs", alice.token(), json("name", "bad", "public_key", "not a key")), 400,
                "InvalidKeyPair.Format");
        assertError(api.post("/key-pairs", alice.token(), json("public_key", PUBLIC_KEY)), 400, "MissingParameter");
        assertError(api.post("/key-pairs", alice.token(), json("name", "x", "private_key", "y")), 400, "UnknownParameter");
    }

    @Test
    void adminsImportAndDeleteImagesAndUsersSeeWhatIsPublicOrTheirs() {
        Path file = rootfsTar("alpine");
        Reply imported = created(api.post("/images", admin, json("name", "alpine", "description", "Alpine 3.20",
                "os", "linux", "version", "3.20", "architecture", "x86_64", "format", "docker-rootfs",
                "source_path", file.toString(), "is_public", false)));
        String privateImage = imported.text("id");
        assertEquals("docker-rootfs", imported.text("format"));
        assertEquals(2048, imported.body().path("size").asLong());
        assertFalse(imported.body().path("is_public").asBoolean());
        assertTrue(Files.exists(fixture.imageStore.resolve(privateImage + ".tar")), "copied into the store");
        assertEquals("alpine", ok(api.get("/images/" + privateImage, admin)).text("name"));

        assertEquals(imageId, ok(api.get("/images/" + imageId, alice.token())).text("id"), "public");
        assertError(api.get("/images/" + privateImage, alice.token()), 404, "InvalidAMIID.NotFound");
        List<String> visible = ok(api.get("/images", alice.token())).body().path("items").findValuesAsText("id");
        assertTrue(visible.contains(imageId) && !visible.contains(privateImage), visible.toString());

        assertError(api.post("/images", alice.token(), json("name", "x", "source_path", file.toString())), 403,
                "UnauthorizedOperation");
        assertError(api.post("/images", alice.token(), json("name", "x", "source_path", "/etc/shadow")), 403,
                "UnauthorizedOperation");
        assertError(api.delete("/images/" + imageId, alice.token()), 403, "UnauthorizedOperation");
        assertError(api.post("/images", admin, json("name", "x", "source_path", "relative/file.tar")), 400,
                "InvalidParameterValue");
        assertError(api.post("/images", admin, json("name", "x")), 400, "MissingParameter");
        assertError(api.post("/images", admin, json("name", "x", "source_path", file + ".missing")), 400,
                "InvalidParameterValue");
        assertError(api.post("/images", admin, json("name", "x", "format", "vhdx", "source_path", file.toString())),
                400, "InvalidAMIID.Unsupported");
        assertError(api.post("/images", admin, json("name", "x", "is_public", "yes", "source_path", file.toString())),
                400, "InvalidParameterValue");

        assertEquals(204, api.delete("/images/" + privateImage, admin).status());
        assertError(api.get("/images/" + privateImage, admin), 404, "InvalidAMIID.NotFound");
        assertFalse(Files.exists(fixture.imageStore.resolve(privateImage + ".tar")), "the stored file goes too");
    }

    /** A VM's disk is an overlay on the image's file: the image stays while an instance not terminated uses it. */
    @Test
    void anImageInUseCannotBeDeletedUntilItsInstancesAreTerminated() {
        String image = created(api.post("/images", admin, json("name", "in-use", "format", "docker-rootfs",
                "source_path", rootfsTar("in-use").toString(), "is_public", true))).text("id");
        String instance = created(api.post("/instances", alice.token(), json("instance_type", "t2.nano", "image_id",
                image, "subnet_id", subnet(alice)))).text("id");
        fixture.answer(fixture.takeSent().get(0), InstanceStatus.PowerState.RUNNING);

        assertError(api.delete("/images/" + image, admin), 409, "DependencyViolation");
        assertTrue(Files.exists(fixture.imageStore.resolve(image + ".tar")), "nothing deleted");

        assertEquals("shutting-down", ok(api.delete("/instances/" + instance, alice.token())).text("state"));
        assertError(api.delete("/images/" + image, admin), 409, "DependencyViolation"); // shutting down
        fixture.answer(fixture.takeSent().get(0), null);
        assertEquals("terminated", ok(api.get("/instances/" + instance, alice.token())).text("state"));
        assertEquals(204, api.delete("/images/" + image, admin).status());
        assertTrue(ok(api.get("/instances/" + instance, alice.token())).body().path("image_id").isNull(),
                "the terminated instance no longer names it");
    }

    @Test
    void onlyAdminsSeeAndDrainWorkerNodes() {
        for (Reply reply : List.of(api.get("/nodes", alice.token()), api.get("/nodes/" + worker, alice.token()),
                api.post("/nodes/" + worker + "/drain", alice.token(), ""),
                api.post("/nodes/" + worker + "/undrain", alice.token(), ""))) {
            assertError(reply, 403, "UnauthorizedOperation");
        }
        created(launch(alice, subnet(alice)));
        JsonNode nodes = ok(api.get("/nodes", admin)).body();
        assertTrue(nodes.path("next_page_token").isNull());
        JsonNode node = null;
        for (JsonNode n : nodes.path("items")) {
            if (n.path("hostname").asText().equals(worker)) {
                node = n;
            }
        }
        assertTrue(node != null, nodes.toString());
        assertEquals("up", node.path("state").asText());
        assertEquals(64, node.path("cpu_total").asInt());
        assertEquals(65536, node.path("memory_total_mib").asInt());
        assertTrue(node.path("cpu_allocated").asInt() >= 1);
        assertTrue(node.path("instance_count").asLong() >= 1);
        assertTrue(node.path("capabilities").toString().contains("image-format:docker-rootfs"));

        String id = node.path("id").asText();
        assertEquals(worker, ok(api.get("/nodes/" + id, admin)).text("hostname"));
        assertEquals(id, ok(api.get("/nodes/" + worker, admin)).text("id"), "by host name too");
        assertEquals("draining", ok(api.post("/nodes/" + id + "/drain", admin, "")).text("state"));
        assertError(launch(alice, subnet(alice)), 503, "InsufficientInstanceCapacity");
        assertEquals("up", ok(api.post("/nodes/" + worker + "/undrain", admin, "{}")).text("state"));
        assertError(api.get("/nodes/no-such-host", admin), 404, "InvalidWorkerNode.NotFound");
        assertError(api.post("/nodes/" + worker + "/drain", admin, json("force", true)), 400, "UnknownParameter");
    }

    /** A request to the event stream that does not stay open: only its errors are read. */
    private Reply eventsRequest(String path, String token) {
        return api.send(api.request(path, token).setHeader("Accept", "text/event-stream").GET());
    }

    @Test
    void theEventStreamNeedsATokenTakesItInTheQueryAndLimitsStreamsPerUser() {
        assertError(eventsRequest("/events", null), 401, "AuthFailure");
        assertError(eventsRequest("/events?access_token=garbage", null), 401, "AuthFailure");
        assertError(api.get("/vpcs?access_token=" + alice.token(), null), 401, "AuthFailure"); // this route only
        assertError(api.get("/events", alice.token()), 406, "NotAcceptable"); // asks for JSON

        List<EventStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                EventStream stream = EventStream.open(api.base(), "/events?access_token=" + alice.token(), null);
                open.add(stream);
                assertEquals(200, stream.status());
                stream.next(e -> e.name().equals("hello"), WAIT, "hello");
            }
            assertError(eventsRequest("/events", alice.token()), 429, "RequestLimitExceeded");
            try (EventStream bobs = EventStream.open(api.base(), "/events", bob.token())) {
                assertEquals(200, bobs.status(), "the limit is per user");
                bobs.next(e -> e.name().equals("hello"), WAIT, "hello");
            }

            // A client goes away: its stream ends at its next write, and the user may open another.
            open.remove(0).close();
            Caller caller = Caller.user(alice.id(), Role.USER);
            String subnet = subnet(alice);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (fixture.changes.openStreams(caller) > 4) {
                assertTrue(System.nanoTime() < deadline, "the server never noticed the client had gone");
                created(launch(alice, subnet)); // something to write on every stream
                for (EventStream stream : open) {
                    stream.next(e -> e.name().equals("instance"), WAIT, "the launch");
                }
            }
            EventStream again = EventStream.open(api.base(), "/events", alice.token());
            open.add(again);
            assertEquals(200, again.status());
        } finally {
            open.forEach(EventStream::close);
        }
    }

    @Test
    void theEventStreamResumesAfterTheLastEventIdItWasGiven() {
        String id = created(launch(alice, subnet(alice))).text("id");
        // A change a minute old: a new stream starts at its connection and would not send it.
        OffsetDateTime minuteAgo = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        fixture.db.run(em -> em.createNativeQuery("UPDATE instances SET updated_at = ? WHERE id = ?")
                .setParameter(1, minuteAgo).setParameter(2, id).executeUpdate());
        try (EventStream events = EventStream.open(api.base(), "/events", alice.token(),
                minuteAgo.minusMinutes(1).toInstant().toString())) {
            events.next(e -> e.name().equals("hello"), WAIT, "hello");
            JsonNode missed = parse(events.next(e -> e.name().equals("instance"), WAIT, "the missed change").data());
            assertEquals(id, missed.path("id").asText());
        }
    }
}
