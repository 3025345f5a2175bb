package io.goncloud.agent;

import io.goncloud.api.model.Role;
import io.goncloud.api.model.Volume;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.VolumeService.CreateSnapshot;
import io.goncloud.api.service.VolumeService.CreateVolume;
import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.storage.StorageStateServiceImpl;
import io.goncloud.core.storage.VolumeServiceImpl;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.driver.storagefile.FileStorageDriver;
import io.goncloud.driver.storagefile.testing.ScratchPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage agent between the platform's core (on H2) and the file storage driver on a real btrfs file system
 * on a loop device: what a tenant asks through the volume service becomes files on the host, and what the host
 * holds moves the volumes' states.
 */
class StorageAgentTest {

    private static final long GIB = 1L << 30;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private ScratchPools scratch;
    private Path pool;
    private TestDatabase testDb;
    private VolumeServiceImpl volumes;
    private StorageAgent agent;
    private Caller alice;
    private final String host = "storage-agent-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void removeWhatAnInterruptedRunLeft() throws IOException {
        ScratchPools.removeLeftovers();
    }

    @BeforeEach
    void poolAndPlatform() throws IOException {
        scratch = new ScratchPools();
        pool = scratch.btrfs("pool", 8192).resolve("volumes"); // sparse: the image takes little of the host's disk
        testDb = TestDatabase.create(TestDatabase.Kind.H2);
    }

    /** The platform on the test database, its commits waking the agent as the OSGi wiring does. */
    private void start(FileStorageDriver driver, boolean inBackground) {
        StorageAgent[] wake = new StorageAgent[1];
        Database db = testDb.database(() -> {
            if (wake[0] != null) {
                wake[0].desiredStateChanged();
            }
        });
        volumes = new VolumeServiceImpl(db);
        agent = new StorageAgent(new StorageStateServiceImpl(db), config(inBackground));
        agent.addStorageDriver(driver);
        wake[0] = agent;
        AuthServiceImpl auth = new AuthServiceImpl(db, new byte[32], Duration.ofMinutes(5), Duration.ofDays(1), 4,
                Clock.systemUTC());
        alice = Caller.user(auth.register("alice", "alice-" + UUID.randomUUID() + "@example.test", "password-alice")
                .id(), Role.USER);
    }

    private void start(FileStorageDriver driver) {
        start(driver, false);
        assertTrue(agent.pass(), "the first pass reports the pool");
    }

    @AfterEach
    void stop() throws IOException {
        if (agent != null) {
            agent.stop();
        }
        if (testDb != null) {
            testDb.close();
        }
        scratch.close();
    }

    @Test
    void aVolumeAskedForIsMadeByTheAgentOnTheNextCommitAndBecomesAvailable() {
        start(new FileStorageDriver(pool, "default", false, 1.0), true);
        awaitTrue(() -> agent != null && hasPool(), "the agent's first pass reports the pool");

        Volume volume = volumes.create(alice, new CreateVolume("data", 2, null, null));

        assertEquals("creating", volume.state());
        awaitTrue(() -> "available".equals(volumes.get(alice, volume.id()).state()), "the volume becomes available");
        Path file = volumeFile(volume.id());
        assertTrue(Files.isRegularFile(file));
        assertEquals(2 * GIB, size(file));
    }

    @Test
    void aVolumeFromASnapshotHoldsTheDataTheVolumeHadWhenTheSnapshotWasTaken() throws IOException {
        start(new FileStorageDriver(pool, "default", false, 1.0));
        Volume original = volumes.create(alice, new CreateVolume("db", 1, null, null));
        agent.pass();
        byte[] before = bytes(1, 1 << 20);
        write(volumeFile(original.id()), 4096, before); // as the instance using it would

        String snapshotId = volumes.createSnapshot(alice, new CreateSnapshot(original.id(), "before")).id();
        agent.pass();
        assertEquals("completed", volumes.getSnapshot(alice, snapshotId).state());
        write(volumeFile(original.id()), 4096, bytes(2, 1 << 20));
        Volume copy = volumes.create(alice, new CreateVolume("restored", 2, snapshotId, null));
        agent.pass();

        assertEquals("available", volumes.get(alice, copy.id()).state());
        assertEquals(2 * GIB, size(volumeFile(copy.id())));
        assertArrayEquals(before, read(volumeFile(copy.id()), 4096, before.length));
    }

    @Test
    void aGrownVolumeIsGrownOnTheHostWithItsDataKept() throws IOException {
        start(new FileStorageDriver(pool, "default", false, 1.0));
        Volume volume = volumes.create(alice, new CreateVolume(null, 1, null, null));
        agent.pass();
        byte[] data = bytes(3, 4096);
        write(volumeFile(volume.id()), GIB - 4096, data);

        volumes.update(alice, volume.id(), new io.goncloud.api.service.VolumeService.UpdateVolume(null, 3, null));
        agent.pass();

        assertEquals(3 * GIB, size(volumeFile(volume.id())));
        assertArrayEquals(data, read(volumeFile(volume.id()), GIB - 4096, data.length));
        assertEquals("available", volumes.get(alice, volume.id()).state());
    }

    @Test
    void aDeletedVolumeAndSnapshotLeaveNoFileAndNoRecord() {
        start(new FileStorageDriver(pool, "default", false, 1.0));
        Volume volume = volumes.create(alice, new CreateVolume(null, 1, null, null));
        agent.pass();
        String snapshotId = volumes.createSnapshot(alice, new CreateSnapshot(volume.id(), null)).id();
        agent.pass();

        volumes.delete(alice, volume.id());
        volumes.deleteSnapshot(alice, snapshotId);
        agent.pass();

        assertFalse(Files.exists(volumeFile(volume.id())));
        assertEquals("InvalidVolume.NotFound", assertThrows(io.goncloud.api.error.GcpException.class,
                () -> volumes.get(alice, volume.id())).code());
        assertEquals("InvalidSnapshot.NotFound", assertThrows(io.goncloud.api.error.GcpException.class,
                () -> volumes.getSnapshot(alice, snapshotId)).code());
        assertEquals(0, listPool().length, "nothing left in the pool");
    }

    @Test
    void aHandleLeftOpenByACrashDoesNotKeepAVolumeFromBeingDeleted() {
        FileStorageDriver driver = new FileStorageDriver(pool, "default", false, 1.0);
        start(driver);
        Volume volume = volumes.create(alice, new CreateVolume(null, 1, null, null));
        agent.pass();
        driver.openAttachment(volume.id(), io.goncloud.api.spi.storage.AttachHandle.Consumer.CONTAINER); // then a crash

        volumes.delete(alice, volume.id());
        agent.pass();

        assertFalse(Files.exists(volumeFile(volume.id())));
        assertEquals("InvalidVolume.NotFound", assertThrows(io.goncloud.api.error.GcpException.class,
                () -> volumes.get(alice, volume.id())).code());
    }

    @Test
    void aVolumeWhoseFileVanishedIsAnErrorAndAStrayFileIsLeftAlone() throws IOException {
        start(new FileStorageDriver(pool, "default", false, 1.0));
        Volume kept = volumes.create(alice, new CreateVolume(null, 1, null, null));
        Volume lost = volumes.create(alice, new CreateVolume(null, 1, null, null));
        agent.pass();
        Files.delete(volumeFile(lost.id()));
        Path stray = volumeFile(UUID.randomUUID().toString());
        Files.write(stray, new byte[4096]);

        agent.pass();

        assertEquals("available", volumes.get(alice, kept.id()).state());
        Volume now = volumes.get(alice, lost.id());
        assertEquals("error", now.state());
        assertTrue(now.stateReason().contains("no longer has the volume's data"), now.stateReason());
        assertTrue(Files.exists(stray), "data no record wants is reported, not destroyed");
        agent.pass();
        assertFalse(Files.exists(volumeFile(lost.id())), "an error is not silently made again");
    }

    @Test
    void aVolumeThePoolRefusesIsAnErrorWithTheDriversReason() {
        start(new FileStorageDriver(pool, "default", false, 0.25)); // the driver promises less than the pool's size

        Volume refused = volumes.create(alice, new CreateVolume(null, 4, null, null));
        agent.pass();

        Volume now = volumes.get(alice, refused.id());
        assertEquals("error", now.state());
        assertTrue(now.stateReason().contains("pool 'default' cannot take 4096 MiB more"), now.stateReason());
        assertEquals(0, listPool().length);
    }

    @Test
    void withoutAUsableDriverNothingIsReportedAndNoVolumeIsTakenForLost() throws IOException {
        FileStorageDriver onBtrfs = new FileStorageDriver(pool, "default", false, 1.0);
        start(onBtrfs);
        Volume volume = volumes.create(alice, new CreateVolume(null, 1, null, null));
        agent.pass();
        agent.removeStorageDriver(onBtrfs);
        agent.addStorageDriver(new FileStorageDriver(scratch.plainDirectory("ext4"), "default", false, 1.0));

        assertFalse(agent.pass(), "a pool that cannot reflink is not used");

        assertEquals("available", volumes.get(alice, volume.id()).state());
    }

    private boolean hasPool() {
        return testDb.database().read(em -> ((Number) em.createNativeQuery("SELECT COUNT(*) FROM storage_pools "
                + "WHERE host_id = ?").setParameter(1, host).getSingleResult()).longValue() > 0);
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // then look again
        }
    }

    private Path volumeFile(String id) {
        return pool.resolve("gcp-vol-" + id + ".raw");
    }

    private String[] listPool() {
        String[] names = pool.toFile().list();
        return names == null ? new String[0] : names;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] bytes(long seed, int length) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static void write(Path file, long offset, byte[] data) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
            channel.force(true);
        }
    }

    private static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // until full
            }
            return buffer.array();
        }
    }

    private StorageAgent.Config config(boolean inBackground) {
        String hostId = host;
        return new StorageAgent.Config() {
            @Override
            public String host_id() {
                return hostId;
            }

            @Override
            public String storage_driver() {
                return "";
            }

            @Override
            public long storage_resync_seconds() {
                return 30;
            }

            @Override
            public boolean storage_enabled() {
                return inBackground;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageAgent.Config.class;
            }
        };
    }
}
