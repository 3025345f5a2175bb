package io.goncloud.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.rest.HttpApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.goncloud.rest.ComputeApiContract.assertError;
import static io.goncloud.rest.ComputeApiContract.created;
import static io.goncloud.rest.ComputeApiContract.ok;
import static io.goncloud.rest.HttpApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Volumes and snapshots over HTTP with the real services on a real database, the test playing the storage agent
 * of a host: what a client sees, from the request to the state the host's report moves it to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageApiContract {

    private ApiFixture fixture;
    private HttpApi api;
    private String alice;
    private String aliceId;
    private String bob;
    private String host;

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
    void tenantsAndAStorageHost() {
        String[] registered = register("alice");
        alice = registered[1];
        aliceId = registered[0];
        bob = register("bob")[1];
        host = "storage-" + UUID.randomUUID().toString().substring(0, 8);
        // One storage host per test: the earlier tests' hosts stop reporting (their pools are forgotten).
        fixture.db.run(em -> em.createNativeQuery("DELETE FROM storage_pools").executeUpdate());
        fixture.storageHost(host, 100, List.of(), List.of());
    }

    /** A new tenant's id and access token. */
    private String[] register(String name) {
        String email = name + "-" + UUID.randomUUID() + "@example.test";
        String id = created(api.post("/auth/register", null, json("username", name, "email", email, "password",
                "password-" + name))).text("id");
        return new String[] {id, api.post("/auth/login", null, json("email", email, "password", "password-" + name))
                .text("access_token")};
    }

    @Test
    void aVolumeIsCreatingThenAvailableOnceItsHostHasItAndDeletingUntilGone() {
        Reply create = created(api.post("/volumes", alice, json("name", "data", "size_gib", 8, "tags", Map.of("env", "ci"))));
        String id = create.text("id");

        assertEquals("creating", create.text("state"));
        assertEquals(8, create.body().path("size_gib").asInt());
        assertEquals("ci", create.body().path("tags").path("env").asText());
        assertTrue(create.body().path("attachment").isNull());
        assertTrue(create.raw().headers().firstValue("Location").orElse("").endsWith("/volumes/" + id));
        fixture.storageHost(host, 100, List.of(id), List.of());
        assertEquals("available", ok(api.get("/volumes/" + id, alice)).text("state"));
        assertEquals(List.of(id), ids(ok(api.get("/volumes?state=available", alice)).body()));
        assertEquals(List.of(), ids(ok(api.get("/volumes?state=creating", alice)).body()));
        Reply renamed = ok(api.put("/volumes/" + id, alice, json("name", "logs")));
        assertEquals("logs", renamed.text("name"));
        assertEquals(12, ok(api.put("/volumes/" + id, alice, json("size_gib", 12))).body().path("size_gib").asInt());
        assertError(api.put("/volumes/" + id, alice, json("size_gib", 4)), 400, "InvalidParameterValue");
        assertEquals("ci", renamed.body().path("tags").path("env").asText());

        Reply deleting = ok(api.delete("/volumes/" + id, alice));
        assertEquals("deleting", deleting.text("state"));
        fixture.storageHost(host, 100, List.of(), List.of());
        assertError(api.get("/volumes/" + id, alice), 404, "InvalidVolume.NotFound");
    }

    @Test
    void aSnapshotCompletesAndAVolumeFromItStartsAtItsSize() {
        String volume = created(api.post("/volumes", alice, json("size_gib", 3))).text("id");
        assertError(api.post("/snapshots", alice, json("volume_id", volume)), 409, "IncorrectState");
        fixture.storageHost(host, 100, List.of(volume), List.of());

        Reply snapshot = created(api.post("/snapshots", alice, json("volume_id", volume, "description", "nightly")));
        String snapshotId = snapshot.text("id");
        assertEquals("pending", snapshot.text("state"));
        assertEquals(3, snapshot.body().path("volume_size_gib").asInt());
        fixture.storageHost(host, 100, List.of(volume), List.of(snapshotId));
        assertEquals("completed", ok(api.get("/snapshots/" + snapshotId, alice)).text("state"));
        assertEquals(List.of(snapshotId), ids(ok(api.get("/snapshots?volume_id=" + volume, alice)).body()));

        Reply copy = created(api.post("/volumes", alice, json("snapshot_id", snapshotId)));
        assertEquals(3, copy.body().path("size_gib").asInt());
        assertEquals(snapshotId, copy.text("snapshot_id"));
        assertError(api.post("/volumes", alice, json("snapshot_id", snapshotId, "size_gib", 2)), 400,
                "InvalidParameterValue");
        assertEquals(204, api.delete("/snapshots/" + snapshotId, alice).status());
        assertEquals("deleting", ok(api.get("/snapshots/" + snapshotId, alice)).text("state"));
    }

    @Test
    void badRequestsAnswerInTheErrorShapeWithEc2Codes() {
        assertError(api.post("/volumes", alice, json("name", "no-size")), 400, "MissingParameter");
        assertError(api.post("/volumes", alice, json("size_gib", 0)), 400, "InvalidParameterValue");
        assertError(api.post("/volumes", alice, json("size_gib", "10")), 400, "InvalidParameterValue");
        assertError(api.post("/volumes", alice, json("size_gib", 1, "iops", 3000)), 400, "UnknownParameter");
        assertError(api.post("/volumes", alice, json("size_gib", 1, "snapshot_id", UUID.randomUUID().toString())),
                404, "InvalidSnapshot.NotFound");
        assertError(api.post("/volumes", alice, json("size_gib", 101)), 503, "InsufficientVolumeCapacity");
        assertError(api.get("/volumes?state=lost", alice), 400, "InvalidParameterValue");
        assertError(api.get("/volumes/not-an-id", alice), 400, "InvalidVolumeID.Malformed");
        assertError(api.post("/snapshots", alice, "{}"), 400, "MissingParameter");
        assertError(api.get("/snapshots/" + UUID.randomUUID(), alice), 404, "InvalidSnapshot.NotFound");
        assertEquals(List.of(), ids(ok(api.get("/volumes", alice)).body()), "nothing was created");
    }

    @Test
    void theVolumeQuotaIsAnsweredWithVolumeLimitExceeded() {
        String admin = fixture.adminToken();
        ok(api.put("/quotas/users/" + aliceId, admin, json("volume_gib", 5)));

        created(api.post("/volumes", alice, json("size_gib", 4)));
        Reply refused = api.post("/volumes", alice, json("size_gib", 2));

        assertError(refused, 400, "VolumeLimitExceeded");
        assertTrue(refused.text("message").contains("quota volume_gib"), refused.text("message"));
    }

    @Test
    void anotherTenantsVolumesAndSnapshotsAnswerNotFound() {
        String volume = created(api.post("/volumes", alice, json("size_gib", 1))).text("id");
        fixture.storageHost(host, 100, List.of(volume), List.of());
        String snapshot = created(api.post("/snapshots", alice, json("volume_id", volume))).text("id");

        assertError(api.get("/volumes/" + volume, bob), 404, "InvalidVolume.NotFound");
        assertError(api.put("/volumes/" + volume, bob, json("name", "mine")), 404, "InvalidVolume.NotFound");
        assertError(api.delete("/volumes/" + volume, bob), 404, "InvalidVolume.NotFound");
        assertError(api.post("/snapshots", bob, json("volume_id", volume)), 404, "InvalidVolume.NotFound");
        assertError(api.get("/snapshots/" + snapshot, bob), 404, "InvalidSnapshot.NotFound");
        assertError(api.delete("/snapshots/" + snapshot, bob), 404, "InvalidSnapshot.NotFound");
        assertError(api.post("/volumes", bob, json("snapshot_id", snapshot)), 404, "InvalidSnapshot.NotFound");
        assertEquals(List.of(), ids(ok(api.get("/volumes", bob)).body()));
        assertEquals(List.of(), ids(ok(api.get("/snapshots", bob)).body()));
        assertEquals("available", ok(api.get("/volumes/" + volume, alice)).text("state"));
    }

    @Test
    void attachAndDetachAnswerWithEc2Codes() {
        String volume = created(api.post("/volumes", alice, json("size_gib", 1))).text("id");
        fixture.storageHost(host, 100, List.of(volume), List.of());

        assertError(api.post("/volumes/" + volume + "/attach", alice, json("instance_id", UUID.randomUUID().toString())),
                404, "InvalidInstanceID.NotFound");
        assertError(api.post("/volumes/" + volume + "/attach", alice, json("instance_id", "i-1")), 400,
                "InvalidInstanceID.Malformed");
        assertError(api.post("/volumes/" + volume + "/attach", alice, "{}"), 400, "MissingParameter");
        assertError(api.post("/volumes/" + volume + "/attach", alice, json("instance_id", UUID.randomUUID().toString(),
                "device", "/proc/x")), 400, "InvalidParameterValue");
        assertError(api.post("/volumes/" + volume + "/detach", alice, "{}"), 409, "IncorrectState");
        assertError(api.post("/volumes/" + volume + "/detach", bob, "{}"), 404, "InvalidVolume.NotFound");
        assertEquals("available", ok(api.get("/volumes/" + volume, alice)).text("state"));
    }

    private static List<String> ids(JsonNode page) {
        return page.path("items").findValuesAsText("id");
    }
}
