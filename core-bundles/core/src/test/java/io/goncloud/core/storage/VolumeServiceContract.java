package io.goncloud.core.storage;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.model.Role;
import io.goncloud.api.model.Snapshot;
import io.goncloud.api.model.Volume;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.StorageStateService.Action;
import io.goncloud.api.service.StorageStateService.DesiredSnapshot;
import io.goncloud.api.service.StorageStateService.DesiredStorage;
import io.goncloud.api.service.StorageStateService.DesiredVolume;
import io.goncloud.api.service.StorageStateService.ObservedStorage;
import io.goncloud.api.service.StorageStateService.DesiredAttachment;
import io.goncloud.api.service.VolumeService.AttachVolume;
import io.goncloud.api.service.VolumeService.CreateSnapshot;
import io.goncloud.api.service.VolumeService.CreateVolume;
import io.goncloud.api.service.VolumeService.UpdateVolume;
import io.goncloud.api.spi.storage.SnapshotInfo;
import io.goncloud.api.spi.storage.StoragePool;
import io.goncloud.api.spi.storage.VolumeInfo;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.quota.QuotaServiceImpl;
import io.goncloud.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Volumes and snapshots against a real database (subclasses pick which), with the test playing the hosts' storage
 * agents through {@link StorageStateServiceImpl}, the interface the agents use: each test has hosts of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class VolumeServiceContract {

    private static final long GIB = 1L << 30;

    private TestDatabase testDb;
    private Database db;
    private VolumeServiceImpl volumes;
    private StorageStateServiceImpl storage;
    private AuthServiceImpl auth;
    private QuotaServiceImpl quotas;
    private Caller admin;
    private Caller alice;
    private Caller bob;
    private String host;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void startDatabase() {
        testDb = TestDatabase.create(kind());
        db = testDb.database();
        volumes = new VolumeServiceImpl(db);
        storage = new StorageStateServiceImpl(db);
        auth = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4, Clock.systemUTC());
        quotas = new QuotaServiceImpl(db);
        admin = Caller.user(auth.createUser("root", "root-" + UUID.randomUUID() + "@example.test", "password-root",
                Role.ADMIN).id(), Role.ADMIN);
    }

    @AfterAll
    void dropDatabase() {
        if (testDb != null) {
            testDb.close();
        }
    }

    @BeforeEach
    void newTenantsAndHost() {
        alice = tenant("alice");
        bob = tenant("bob");
        host = "storage-host-" + UUID.randomUUID();
        db.run(em -> em.createNativeQuery("DELETE FROM storage_pools").executeUpdate()); // other tests' hosts
    }

    private Caller tenant(String name) {
        return Caller.user(auth.register(name, name + "-" + UUID.randomUUID() + "@example.test", "password-" + name)
                .id(), Role.USER);
    }

    private static String code(Runnable call) {
        return assertThrows(GcpException.class, call::run).code();
    }

    /** The host's agent reports its pool, holding what it lists. */
    private void report(String hostId, long capacityGib, List<String> volumeIds, List<String> snapshotIds,
                        Map<String, String> failures) {
        storage.observed(hostId, new ObservedStorage(
                List.of(new StoragePool("default", "/pool", capacityGib * GIB, capacityGib * GIB, 0, "")),
                volumeIds.stream().map(id -> new VolumeInfo(id, "default", GIB, 0, "gcp-vol-" + id)).toList(),
                snapshotIds.stream().map(id -> new SnapshotInfo(id, "default", GIB, "gcp-snap-" + id)).toList(),
                failures));
    }

    private void emptyPool(long capacityGib) {
        report(host, capacityGib, List.of(), List.of(), Map.of());
    }

    /** A volume of alice's that its host has made. */
    private Volume availableVolume(int sizeGib) {
        Volume volume = volumes.create(alice, new CreateVolume("data", sizeGib, null, null));
        report(host, 100, List.of(volume.id()), List.of(), Map.of());
        return volumes.get(alice, volume.id());
    }

    private long rows(String table) {
        return db.read(em -> ((Number) em.createNativeQuery("SELECT COUNT(*) FROM " + table).getSingleResult())
                .longValue());
    }

    @Test
    void withoutAnyStoragePoolAVolumeIsRefusedAndNothingWritten() {
        long before = rows("volumes");

        GcpException e = assertThrows(GcpException.class,
                () -> volumes.create(alice, new CreateVolume("v", 1, null, null)));

        assertEquals("InsufficientVolumeCapacity", e.code());
        assertEquals(503, e.errorCode().httpStatus());
        assertTrue(e.getMessage().contains("no storage agent has reported a pool"), e.getMessage());
        assertEquals(before, rows("volumes"));
    }

    @Test
    void aVolumeIsCreatingUntilItsHostHasMadeItThenAvailable() {
        emptyPool(100);

        Volume created = volumes.create(alice, new CreateVolume("data", 8, null, Map.of("env", "test")));

        assertEquals("creating", created.state());
        assertEquals(8, created.sizeGib());
        assertEquals(Map.of("env", "test"), created.tags());
        assertEquals(alice.userId(), created.userId());
        assertNull(created.attachment());
        assertEquals(List.of(new DesiredVolume(created.id(), Action.CREATE, 8 * GIB, null, "default")),
                storage.desiredStorage(host).volumes());
        report(host, 100, List.of(created.id()), List.of(), Map.of());
        Volume made = volumes.get(alice, created.id());
        assertEquals("available", made.state());
        assertEquals(Action.KEEP, storage.desiredStorage(host).volumes().get(0).action());
        assertEquals(List.of(made), volumes.list(alice, "available", PageRequest.first()).items());
        assertEquals(List.of(), volumes.list(alice, "creating", PageRequest.first()).items());
    }

    @Test
    void aVolumeGoesToThePoolWithTheMostRoomAndNoPoolTakesMoreThanItHas() {
        String small = "small-" + host;
        report(small, 10, List.of(), List.of(), Map.of());
        emptyPool(20);

        Volume first = volumes.create(alice, new CreateVolume(null, 12, null, null));
        Volume second = volumes.create(alice, new CreateVolume(null, 8, null, null));
        Volume third = volumes.create(alice, new CreateVolume(null, 8, null, null));

        assertEquals(java.util.Set.of(first.id(), third.id()), storage.desiredStorage(host).volumes().stream()
                .map(DesiredVolume::volumeId).collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of(second.id()), storage.desiredStorage(small).volumes().stream()
                .map(DesiredVolume::volumeId).toList());
        GcpException full = assertThrows(GcpException.class, () -> volumes.create(alice, new CreateVolume(null, 3, null, null)));
        assertEquals("InsufficientVolumeCapacity", full.code());
        assertTrue(full.getMessage().contains("No storage pool has room for 3 GiB"), full.getMessage());
    }

    @Test
    void badRequestsAreRefusedWithTheirCodes() {
        emptyPool(100);
        long before = rows("volumes");

        assertEquals("MissingParameter", code(() -> volumes.create(alice, new CreateVolume("v", null, null, null))));
        assertEquals("InvalidParameterValue", code(() -> volumes.create(alice, new CreateVolume("v", 0, null, null))));
        assertEquals("InvalidParameterValue", code(() -> volumes.create(alice, new CreateVolume("v", 16385, null, null))));
        assertEquals("InvalidParameterValue", code(() -> volumes.create(alice, new CreateVolume("x".repeat(256), 1, null, null))));
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            tooMany.put("k" + i, "v");
        }
        assertEquals("InvalidParameterValue", code(() -> volumes.create(alice, new CreateVolume("v", 1, null, tooMany))));
        assertEquals("InvalidSnapshotID.Malformed", code(() -> volumes.create(alice, new CreateVolume("v", 1, "nope", null))));
        assertEquals("InvalidSnapshot.NotFound",
                code(() -> volumes.create(alice, new CreateVolume("v", 1, UUID.randomUUID().toString(), null))));
        assertEquals("InvalidParameterValue", code(() -> volumes.list(alice, "lost", PageRequest.first())));
        assertEquals("InvalidVolumeID.Malformed", code(() -> volumes.get(alice, "vol-1")));
        assertEquals(before, rows("volumes"));
    }

    @Test
    void theQuotaOfVolumesAndOfGibIsKept() {
        emptyPool(1000);
        quotas.setForUser(admin, alice.userId(), Map.of("volumes", 2L, "volume_gib", 10L));

        volumes.create(alice, new CreateVolume(null, 6, null, null));
        GcpException gib = assertThrows(GcpException.class, () -> volumes.create(alice, new CreateVolume(null, 5, null, null)));
        volumes.create(alice, new CreateVolume(null, 4, null, null));
        GcpException count = assertThrows(GcpException.class, () -> volumes.create(alice, new CreateVolume(null, 1, null, null)));

        assertEquals("VolumeLimitExceeded", gib.code());
        assertTrue(gib.getMessage().contains("10 GiB of volumes"), gib.getMessage());
        assertEquals("VolumeLimitExceeded", count.code());
        assertEquals(2, volumes.list(alice, null, PageRequest.first()).items().size());
        volumes.create(bob, new CreateVolume(null, 50, null, null)); // bob's own quota
    }

    @Test
    void aSnapshotIsPendingUntilTakenAndAVolumeFromItIsMadeInItsPool() {
        emptyPool(100);
        Volume creating = volumes.create(alice, new CreateVolume(null, 4, null, null));
        assertEquals("IncorrectState", code(() -> volumes.createSnapshot(alice, new CreateSnapshot(creating.id(), "x"))));
        report(host, 100, List.of(creating.id()), List.of(), Map.of());
        report("elsewhere-" + host, 1000, List.of(), List.of(), Map.of()); // more room, but not where the snapshot is

        Snapshot snapshot = volumes.createSnapshot(alice, new CreateSnapshot(creating.id(), "before upgrade"));

        assertEquals("pending", snapshot.state());
        assertEquals(4, snapshot.volumeSizeGib());
        assertEquals("before upgrade", snapshot.description());
        assertEquals(List.of(new DesiredSnapshot(snapshot.id(), Action.CREATE, creating.id())),
                storage.desiredStorage(host).snapshots());
        assertEquals("IncorrectState", code(() -> volumes.create(alice, new CreateVolume(null, null, snapshot.id(), null))));
        report(host, 100, List.of(creating.id()), List.of(snapshot.id()), Map.of());
        assertEquals("completed", volumes.getSnapshot(alice, snapshot.id()).state());

        Volume copy = volumes.create(alice, new CreateVolume("copy", null, snapshot.id(), null));
        assertEquals(4, copy.sizeGib(), "a snapshot's size by default");
        assertEquals(snapshot.id(), copy.snapshotId());
        assertTrue(storage.desiredStorage(host).volumes().contains(
                new DesiredVolume(copy.id(), Action.CREATE, 4 * GIB, snapshot.id(), "default")));
        assertEquals("InvalidParameterValue", code(() -> volumes.create(alice, new CreateVolume(null, 3, snapshot.id(), null))));
        assertEquals("InvalidSnapshot.NotFound", code(() -> volumes.create(bob, new CreateVolume(null, 4, snapshot.id(), null))));
        assertEquals(List.of(snapshot.id()), volumes.listSnapshots(alice, creating.id(), PageRequest.first()).items()
                .stream().map(Snapshot::id).toList());
    }

    @Test
    void deletingIsRefusedWhileAttachedAndOtherwiseEndsWhenTheHostHasRemovedTheData() {
        emptyPool(100);
        Volume volume = availableVolume(2);
        String snapshotId = volumes.createSnapshot(alice, new CreateSnapshot(volume.id(), null)).id();
        report(host, 100, List.of(volume.id()), List.of(snapshotId), Map.of());
        String instance = instanceRow(alice);
        db.run(em -> em.createNativeQuery("UPDATE volumes SET instance_id = ?, device = '/dev/vdb', "
                + "attachment_state = 'attached', state = 'in-use' WHERE id = ?").setParameter(1, instance)
                .setParameter(2, volume.id()).executeUpdate()); // attach comes later: the row as it will write it

        assertEquals("VolumeInUse", code(() -> volumes.delete(alice, volume.id())));
        db.run(em -> em.createNativeQuery("UPDATE volumes SET instance_id = NULL, device = NULL, attachment_state = NULL, "
                + "state = 'available' WHERE id = ?").setParameter(1, volume.id()).executeUpdate());
        Volume deleting = volumes.delete(alice, volume.id());

        assertEquals("deleting", deleting.state());
        assertEquals(deleting, volumes.delete(alice, volume.id()), "deleting twice changes nothing");
        assertEquals(List.of(new DesiredVolume(volume.id(), Action.DELETE, 2 * GIB, null, "default")),
                storage.desiredStorage(host).volumes());
        report(host, 100, List.of(), List.of(snapshotId), Map.of());
        assertEquals("InvalidVolume.NotFound", code(() -> volumes.get(alice, volume.id())));
        assertEquals("completed", volumes.getSnapshot(alice, snapshotId).state(), "snapshots outlive their volume");
        volumes.deleteSnapshot(alice, snapshotId);
        assertEquals(Action.DELETE, storage.desiredStorage(host).snapshots().get(0).action());
        report(host, 100, List.of(), List.of(), Map.of());
        assertEquals("InvalidSnapshot.NotFound", code(() -> volumes.getSnapshot(alice, snapshotId)));
    }

    @Test
    void aFailedCreationAndALostVolumeAreErrorsWithTheReason() {
        emptyPool(100);
        Volume failed = volumes.create(alice, new CreateVolume(null, 1, null, null));
        Volume lost = availableVolume(1);

        report(host, 100, List.of(), List.of(), Map.of(failed.id(), "pool 'default' cannot take 1024 MiB more"));

        Volume failedNow = volumes.get(alice, failed.id());
        assertEquals("error", failedNow.state());
        assertEquals("pool 'default' cannot take 1024 MiB more", failedNow.stateReason());
        Volume lostNow = volumes.get(alice, lost.id());
        assertEquals("error", lostNow.state());
        assertTrue(lostNow.stateReason().contains("no longer has the volume's data"), lostNow.stateReason());
        assertEquals(List.of(), storage.desiredStorage(host).volumes(), "an error is neither made again nor removed");
        assertEquals("deleting", volumes.delete(alice, lost.id()).state(), "the tenant can still delete it");
    }

    @Test
    void anotherTenantsVolumesAndSnapshotsDoNotExistForBob() {
        emptyPool(100);
        Volume volume = availableVolume(1);
        Snapshot snapshot = volumes.createSnapshot(alice, new CreateSnapshot(volume.id(), null));

        assertEquals("InvalidVolume.NotFound", code(() -> volumes.get(bob, volume.id())));
        assertEquals("InvalidVolume.NotFound", code(() -> volumes.update(bob, volume.id(), new UpdateVolume("mine", null, null))));
        assertEquals("InvalidVolume.NotFound", code(() -> volumes.delete(bob, volume.id())));
        assertEquals("InvalidVolume.NotFound", code(() -> volumes.createSnapshot(bob, new CreateSnapshot(volume.id(), null))));
        assertEquals("InvalidSnapshot.NotFound", code(() -> volumes.getSnapshot(bob, snapshot.id())));
        assertEquals("InvalidSnapshot.NotFound", code(() -> volumes.deleteSnapshot(bob, snapshot.id())));
        assertEquals(List.of(), volumes.list(bob, null, PageRequest.first()).items());
        assertEquals(List.of(), volumes.listSnapshots(bob, null, PageRequest.first()).items());
        assertEquals("available", volumes.get(alice, volume.id()).state());
        assertEquals(List.of(volume.id()), volumes.list(Caller.operator(), null, PageRequest.first()).items().stream()
                .filter(v -> v.userId().equals(alice.userId())).map(Volume::id).toList(), "the operator sees all");
    }

    @Test
    void aHostReportingWhatItReportedBeforeCommitsNothing() {
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        StorageStateServiceImpl watched = new StorageStateServiceImpl(testDb.database(commits::incrementAndGet));
        emptyPool(100);
        Volume volume = volumes.create(alice, new CreateVolume(null, 1, null, null));
        ObservedStorage made = new ObservedStorage(
                List.of(new StoragePool("default", "/pool", 100 * GIB, 100 * GIB, 0, "")),
                List.of(new VolumeInfo(volume.id(), "default", GIB, 0, "gcp-vol-" + volume.id())), List.of(), Map.of());

        watched.observed(host, made);
        int afterChange = commits.get();
        watched.observed(host, made);
        watched.observed(host, made);

        assertEquals(1, afterChange, "the volume became available");
        assertEquals(afterChange, commits.get(), "nothing changed, nothing written: the agent is not woken again");
        assertEquals("available", volumes.get(alice, volume.id()).state());
    }

    @Test
    void growingTakesQuotaAndPoolRoomAndNeverShrinks() {
        emptyPool(10);
        quotas.setForUser(admin, alice.userId(), Map.of("volume_gib", 8L));
        Volume volume = availableVolume(2);
        report(host, 10, List.of(volume.id()), List.of(), Map.of()); // a 10 GiB pool holding it
        Volume creating = volumes.create(alice, new CreateVolume(null, 1, null, null));

        Volume grown = volumes.update(alice, volume.id(), new UpdateVolume(null, 6, null));

        assertEquals(6, grown.sizeGib());
        assertEquals("available", grown.state());
        assertTrue(storage.desiredStorage(host).volumes().contains(
                new DesiredVolume(volume.id(), Action.KEEP, 6 * GIB, null, "default")), "the host is to grow it");
        assertEquals("InvalidParameterValue", code(() -> volumes.update(alice, volume.id(), new UpdateVolume(null, 5, null))));
        assertEquals("VolumeLimitExceeded", code(() -> volumes.update(alice, volume.id(), new UpdateVolume(null, 8, null))));
        quotas.setForUser(admin, alice.userId(), Map.of("volume_gib", 100L));
        assertEquals("InsufficientVolumeCapacity",
                code(() -> volumes.update(alice, volume.id(), new UpdateVolume(null, 10, null))));
        assertEquals("IncorrectState", code(() -> volumes.update(alice, creating.id(), new UpdateVolume(null, 2, null))));
        assertEquals(6, volumes.get(alice, volume.id()).sizeGib(), "refusals change nothing");
        assertEquals(1, volumes.update(alice, creating.id(), new UpdateVolume("same size", 1, null)).sizeGib());
    }

    @Test
    void aVolumeAttachesToAnInstanceOnItsHostAndComesBackAvailableWhenDetached() {
        emptyPool(100);
        Volume volume = availableVolume(1);
        String instance = instanceOn(alice, host);

        Volume attaching = volumes.attach(alice, volume.id(), new AttachVolume(instance, "/data"));

        assertEquals("in-use", attaching.state());
        assertEquals(new Volume.Attachment(instance, "/data", "attaching"), attaching.attachment());
        assertEquals(List.of(new DesiredAttachment(volume.id(), instance, "/data", Action.CREATE)),
                storage.desiredStorage(host).attachments());
        assertEquals("VolumeInUse", code(() -> volumes.attach(alice, volume.id(), new AttachVolume(instance, "/x"))));
        assertEquals("VolumeInUse", code(() -> volumes.delete(alice, volume.id())));
        hostHas(List.of(volume.id()), List.of(volume.id()), Map.of());
        assertEquals("attached", volumes.get(alice, volume.id()).attachment().state());
        assertEquals(Action.KEEP, storage.desiredStorage(host).attachments().get(0).action());
        assertEquals("completed", snapshotTaken(volume.id()).state(), "an in-use volume can be snapshotted");

        Volume detaching = volumes.detach(alice, volume.id());
        assertEquals("detaching", detaching.attachment().state());
        assertEquals(Action.DELETE, storage.desiredStorage(host).attachments().get(0).action());
        hostHas(List.of(volume.id()), List.of(volume.id()), Map.of(volume.id(), "umount: /data: target is busy"));
        Volume busy = volumes.get(alice, volume.id());
        assertEquals("detaching", busy.attachment().state(), "still in the instance: tried again");
        assertEquals("umount: /data: target is busy", busy.stateReason());
        hostHas(List.of(volume.id()), List.of(), Map.of());
        Volume back = volumes.get(alice, volume.id());
        assertEquals("available", back.state());
        assertNull(back.attachment());
        assertEquals("IncorrectState", code(() -> volumes.detach(alice, volume.id())));
    }

    @Test
    void attachingIsRefusedAcrossHostsTenantsAndBadDevices() {
        emptyPool(100);
        Volume volume = availableVolume(1);
        String elsewhere = instanceOn(alice, "other-" + host);
        String bobs = instanceOn(bob, host);
        String mine = instanceOn(alice, host);
        Volume creating = volumes.create(alice, new CreateVolume(null, 1, null, null));

        GcpException otherHost = assertThrows(GcpException.class,
                () -> volumes.attach(alice, volume.id(), new AttachVolume(elsewhere, null)));
        assertEquals("InvalidParameterValue", otherHost.code());
        assertTrue(otherHost.getMessage().contains("attaches to an instance on its own host"), otherHost.getMessage());
        assertEquals("InvalidInstanceID.NotFound", code(() -> volumes.attach(alice, volume.id(), new AttachVolume(bobs, null))));
        assertEquals("InvalidVolume.NotFound", code(() -> volumes.attach(bob, volume.id(), new AttachVolume(bobs, null))));
        for (String bad : List.of("data", "/proc/x", "/a/../etc", "/dev", "/a b")) {
            assertEquals("InvalidParameterValue", code(() -> volumes.attach(alice, volume.id(), new AttachVolume(mine, bad))), bad);
        }
        assertEquals("IncorrectState", code(() -> volumes.attach(alice, creating.id(), new AttachVolume(mine, null))));
        assertEquals("available", volumes.get(alice, volume.id()).state(), "refusals change nothing");

        Volume attached = volumes.attach(alice, volume.id(), new AttachVolume(mine, null));
        assertEquals("/volumes/" + volume.id(), attached.attachment().device(), "the default place");
    }

    @Test
    void aFailedAttachLeavesTheVolumeAvailableWithTheReasonAndATerminatedInstanceLetsGo() {
        emptyPool(100);
        Volume failing = availableVolume(1);
        Volume kept = volumes.create(alice, new CreateVolume(null, 1, null, null));
        hostHas(List.of(failing.id(), kept.id()), List.of(), Map.of());
        String instance = instanceOn(alice, host);
        volumes.attach(alice, failing.id(), new AttachVolume(instance, "/a"));
        volumes.attach(alice, kept.id(), new AttachVolume(instance, "/b"));

        hostHas(List.of(failing.id(), kept.id()), List.of(kept.id()),
                Map.of(failing.id(), "the image needs mount or /bin/busybox"));

        Volume failed = volumes.get(alice, failing.id());
        assertEquals("available", failed.state());
        assertNull(failed.attachment());
        assertEquals("the image needs mount or /bin/busybox", failed.stateReason());
        db.run(em -> em.createNativeQuery("UPDATE instances SET state = 'terminated' WHERE id = ?")
                .setParameter(1, instance).executeUpdate());
        assertEquals(Action.DELETE, storage.desiredStorage(host).attachments().get(0).action());
        hostHas(List.of(failing.id(), kept.id()), List.of(), Map.of());
        assertEquals("available", volumes.get(alice, kept.id()).state());
    }

    /** The host's agent reports its 100 GiB pool holding these volumes, these attached, these failures. */
    private void hostHas(List<String> volumeIds, List<String> attached, Map<String, String> failures) {
        storage.observed(host, new ObservedStorage(
                List.of(new StoragePool("default", "/pool", 100 * GIB, 100 * GIB, 0, "")),
                volumeIds.stream().map(id -> new VolumeInfo(id, "default", GIB, 0, "gcp-vol-" + id)).toList(),
                List.of(), failures, attached));
    }

    private Snapshot snapshotTaken(String volumeId) {
        Snapshot snapshot = volumes.createSnapshot(alice, new CreateSnapshot(volumeId, null));
        storage.observed(host, new ObservedStorage(
                List.of(new StoragePool("default", "/pool", 100 * GIB, 100 * GIB, 0, "")),
                List.of(new VolumeInfo(volumeId, "default", GIB, 0, "v")),
                List.of(new SnapshotInfo(snapshot.id(), "default", GIB, "s")), Map.of(), List.of(volumeId)));
        return volumes.getSnapshot(alice, snapshot.id());
    }

    /** A running instance of the owner on the worker named {@code hostname} (made if new), as the database holds it. */
    private String instanceOn(Caller owner, String hostname) {
        String id = instanceRow(owner);
        db.run(em -> {
            var now = Database.now();
            if (((Number) em.createNativeQuery("SELECT COUNT(*) FROM worker_nodes WHERE hostname = ?")
                    .setParameter(1, hostname).getSingleResult()).longValue() == 0) {
                em.createNativeQuery("INSERT INTO worker_nodes (id, hostname, state, cpu_total, memory_total_mib, "
                                + "disk_total_gib, created_at, updated_at) VALUES (?, ?, 'up', 4, 4096, 100, ?, ?)")
                        .setParameter(1, UUID.randomUUID().toString()).setParameter(2, hostname)
                        .setParameter(3, now).setParameter(4, now).executeUpdate();
            }
            em.createNativeQuery("UPDATE instances SET worker_node_id = (SELECT id FROM worker_nodes WHERE hostname = ?) "
                    + "WHERE id = ?").setParameter(1, hostname).setParameter(2, id).executeUpdate();
        });
        return id;
    }

    @Test
    void updateRenamesAndReplacesTags() {
        emptyPool(100);
        Volume volume = volumes.create(alice, new CreateVolume("old", 1, null, Map.of("a", "1", "b", "2")));

        Volume renamed = volumes.update(alice, volume.id(), new UpdateVolume("new", null, null));
        Volume retagged = volumes.update(alice, volume.id(), new UpdateVolume(null, null, Map.of("c", "3")));

        assertEquals("new", renamed.name());
        assertEquals(Map.of("a", "1", "b", "2"), renamed.tags());
        assertEquals("new", retagged.name());
        assertEquals(Map.of("c", "3"), retagged.tags());
        assertTrue(retagged.updatedAt().isAfter(volume.updatedAt()));
    }

    @Test
    void pagesOfVolumesFollowCreationOrder() {
        emptyPool(100);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(volumes.create(alice, new CreateVolume("v" + i, 1, null, null)).id());
        }

        var first = volumes.list(alice, null, new PageRequest(3, null));
        var second = volumes.list(alice, null, new PageRequest(3, first.nextPageToken()));

        List<String> listed = new ArrayList<>();
        first.items().forEach(v -> listed.add(v.id()));
        second.items().forEach(v -> listed.add(v.id()));
        assertEquals(ids, listed);
        assertNull(second.nextPageToken());
    }

    /** An instance row of the owner, as the instance service writes it (attachments are not in this service yet). */
    private String instanceRow(Caller owner) {
        String id = UUID.randomUUID().toString();
        var now = Database.now();
        db.run(em -> em.createNativeQuery("INSERT INTO instances (id, name, instance_type, private_ip, state, user_id, "
                        + "created_at, updated_at) VALUES (?, 'i', 't2.micro', '10.0.0.10', 'running', ?, ?, ?)")
                .setParameter(1, id).setParameter(2, owner.userId()).setParameter(3, now).setParameter(4, now)
                .executeUpdate());
        return id;
    }
}
