package io.goncloud.driver.storagefile;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.storage.AttachHandle;
import io.goncloud.api.spi.storage.SnapshotInfo;
import io.goncloud.api.spi.storage.StorageCapacityException;
import io.goncloud.api.spi.storage.StoragePool;
import io.goncloud.api.spi.storage.VolumeInfo;
import io.goncloud.api.spi.storage.VolumeReconciliation;
import io.goncloud.api.spi.storage.VolumeSpec;
import io.goncloud.driver.storagefile.testing.ScratchPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file driver against a real btrfs file system on a loop device, and against the host's ext4. */
class FileStorageDriverTest {

    private static final long MIB = 1024 * 1024;

    private ScratchPools scratch;
    private Path poolDirectory;
    private FileStorageDriver driver;

    @BeforeAll
    static void removeWhatAnInterruptedRunLeft() throws IOException {
        ScratchPools.removeLeftovers();
    }

    @BeforeEach
    void btrfsPool() throws IOException {
        scratch = new ScratchPools();
        poolDirectory = scratch.btrfs("pool", 256).resolve("volumes");
        driver = new FileStorageDriver(poolDirectory, "default", false, 1.0);
    }

    @AfterEach
    void removePool() throws IOException {
        scratch.close();
    }

    @Test
    void probeSaysWhatThePoolIsAndWhatItCanDo() {
        HealthReport health = driver.probe();

        assertTrue(health.usable(), health.detail());
        assertTrue(health.detail().contains("btrfs") && health.detail().contains("reflink copies work"),
                health.detail());
        assertTrue(health.detail().contains("loop devices for containers available"), health.detail());
        StoragePool pool = driver.pools().get(0);
        assertEquals("default", pool.name());
        assertEquals(poolDirectory.toString(), pool.location());
        assertTrue(pool.capacityBytes() > 200 * MIB && pool.freeBytes() > 0, pool.toString());
    }

    @Test
    void aNewVolumeIsSparseReadsAsZeroesAndIsCreatedOnce() throws IOException {
        String id = newId();

        VolumeInfo volume = driver.createVolume(VolumeSpec.empty(id, 64 * MIB));

        assertEquals(64 * MIB, volume.sizeBytes());
        assertTrue(volume.allocatedBytes() < MIB, "sparse: " + volume);
        assertTrue(volume.hostName().startsWith(poolDirectory + "/gcp-"), volume.hostName());
        assertArrayEquals(new byte[4096], read(Path.of(volume.hostName()), 32 * MIB, 4096));
        write(Path.of(volume.hostName()), 0, bytes(1, 4096));
        assertEquals(volume.hostName(), driver.createVolume(VolumeSpec.empty(id, 64 * MIB)).hostName());
        assertArrayEquals(bytes(1, 4096), read(Path.of(volume.hostName()), 0, 4096), "the second create kept the data");
        assertEquals(List.of(id), driver.listVolumes().stream().map(VolumeInfo::volumeId).toList());
    }

    @Test
    void aVolumeFromASnapshotHoldsExactlyTheSnapshotsData() throws IOException {
        String id = newId();
        Path original = Path.of(driver.createVolume(VolumeSpec.empty(id, 32 * MIB)).hostName());
        byte[] before = bytes(2, (int) (8 * MIB));
        write(original, MIB, before);
        String snapshotId = newId();

        SnapshotInfo snapshot = driver.createSnapshot(snapshotId, id);
        assertEquals(0, exclusiveBytes(Path.of(snapshot.hostName())),
                "the snapshot shares all its data with the volume (a reflink, not a copy)");
        byte[] after = bytes(3, (int) (8 * MIB));
        write(original, MIB, after);
        String copyId = newId();
        Path copy = Path.of(driver.createVolume(VolumeSpec.fromSnapshot(copyId, 48 * MIB, snapshotId)).hostName());

        assertEquals(32 * MIB, snapshot.sizeBytes());
        assertEquals(48 * MIB, Files.size(copy));
        assertArrayEquals(before, read(copy, MIB, before.length), "the copy holds the data as it was at the snapshot");
        assertArrayEquals(new byte[(int) MIB], read(copy, 0, (int) MIB));
        assertArrayEquals(new byte[(int) MIB], read(copy, 40 * MIB, (int) MIB), "grown part reads as zeroes");
        assertArrayEquals(after, read(original, MIB, after.length), "the original keeps its own writes");
    }

    @Test
    void aSnapshotOrSourceThatDoesNotExistIsRefusedAndLeavesNothing() {
        String volumeId = newId();

        assertThrows(DriverException.class, () -> driver.createSnapshot(newId(), volumeId));
        DriverException missing = assertThrows(DriverException.class,
                () -> driver.createVolume(VolumeSpec.fromSnapshot(volumeId, 16 * MIB, newId())));

        assertTrue(missing.getMessage().contains("is not in pool 'default'"), missing.getMessage());
        assertEquals(List.of(), driver.listVolumes());
        assertEquals(List.of(), driver.listSnapshots());
        assertEquals(List.of(), poolFiles());
    }

    @Test
    void aVolumeFromASnapshotCannotBeSmallerThanTheSnapshot() {
        String id = newId();
        driver.createVolume(VolumeSpec.empty(id, 32 * MIB));
        String snapshotId = driver.createSnapshot(newId(), id).snapshotId();

        DriverException e = assertThrows(DriverException.class,
                () -> driver.createVolume(VolumeSpec.fromSnapshot(newId(), 16 * MIB, snapshotId)));

        assertTrue(e.getMessage().contains("needs at least " + 32 * MIB), e.getMessage());
    }

    @Test
    void growingKeepsTheDataAndShrinkingIsRefused() throws IOException {
        String id = newId();
        Path file = Path.of(driver.createVolume(VolumeSpec.empty(id, 16 * MIB)).hostName());
        byte[] data = bytes(4, (int) MIB);
        write(file, 15 * MIB, data);

        VolumeInfo grown = driver.growVolume(id, 40 * MIB);

        assertEquals(40 * MIB, grown.sizeBytes());
        assertArrayEquals(data, read(file, 15 * MIB, data.length));
        assertArrayEquals(new byte[(int) MIB], read(file, 39 * MIB, (int) MIB));
        DriverException shrink = assertThrows(DriverException.class, () -> driver.growVolume(id, 16 * MIB));
        assertTrue(shrink.getMessage().contains("cannot shrink"), shrink.getMessage());
        assertEquals(40 * MIB, Files.size(file));
    }

    @Test
    void deletingRemovesTheVolumeKeepsItsSnapshotsAndSucceedsTwice() {
        String id = newId();
        driver.createVolume(VolumeSpec.empty(id, 16 * MIB));
        String snapshotId = driver.createSnapshot(newId(), id).snapshotId();

        driver.deleteVolume(id);
        driver.deleteVolume(id);

        assertTrue(driver.inspectVolume(id).isEmpty());
        assertEquals(List.of(snapshotId), driver.listSnapshots().stream().map(SnapshotInfo::snapshotId).toList());
        driver.deleteSnapshot(snapshotId);
        driver.deleteSnapshot(snapshotId);
        assertEquals(List.of(), poolFiles());
    }

    @Test
    void aVirtualMachineGetsTheFileAndAContainerALoopDeviceOverIt() throws IOException {
        String id = newId();
        Path file = Path.of(driver.createVolume(VolumeSpec.empty(id, 16 * MIB)).hostName());
        write(file, 0, bytes(5, 4096));

        AttachHandle forVm = driver.openAttachment(id, AttachHandle.Consumer.VIRTUAL_MACHINE);
        AttachHandle forContainer = driver.openAttachment(id, AttachHandle.Consumer.CONTAINER);

        assertEquals(new AttachHandle(id, AttachHandle.Kind.FILE, file.toString(), "raw"), forVm);
        assertEquals(AttachHandle.Kind.BLOCK_DEVICE, forContainer.kind());
        Path device = Path.of(forContainer.path());
        assertArrayEquals(bytes(5, 4096), read(device, 0, 4096), "the device shows the volume's data");
        assertEquals(forContainer, driver.openAttachment(id, AttachHandle.Consumer.CONTAINER), "opened once");
        assertEquals(List.of(forContainer.path()), LoopDevices.of(file));

        driver.growVolume(id, 24 * MIB);
        assertEquals(String.valueOf(24 * MIB), ScratchPools.run("blockdev", "--getsize64", device.toString()).strip(),
                "the device grows with the volume");
        DriverException inUse = assertThrows(DriverException.class, () -> driver.deleteVolume(id));
        assertTrue(inUse.getMessage().contains("close its attachment first"), inUse.getMessage());

        driver.closeAttachment(id);
        driver.closeAttachment(id);
        assertEquals(List.of(), LoopDevices.of(file));
        driver.deleteVolume(id);
        assertFalse(Files.exists(file));
    }

    @Test
    void reconciliationReportsAVolumeWithoutRecordAndARecordWithoutVolume() throws IOException {
        String recorded = newId();
        String vanished = newId();
        driver.createVolume(VolumeSpec.empty(recorded, 16 * MIB));
        driver.createVolume(VolumeSpec.empty(vanished, 16 * MIB));
        String stray = newId();
        Files.write(poolDirectory.resolve("gcp-vol-" + stray + ".raw"), new byte[4096]); // left by someone
        Files.write(poolDirectory.resolve("notes.txt"), new byte[10]); // not ours: never listed, never touched
        Files.delete(poolDirectory.resolve("gcp-vol-" + vanished + ".raw"));

        VolumeReconciliation difference = VolumeReconciliation.of(List.of(recorded, vanished), driver.listVolumes());

        assertEquals(List.of(stray), difference.orphans().stream().map(VolumeInfo::volumeId).toList());
        assertEquals(List.of(vanished), difference.missing());
        assertTrue(Files.exists(poolDirectory.resolve("notes.txt")));
    }

    @Test
    void aVolumeThePoolCannotHoldIsRefusedWithNothingLeft() {
        DriverException e = assertThrows(StorageCapacityException.class,
                () -> driver.createVolume(VolumeSpec.empty(newId(), 512 * MIB)));

        assertTrue(e.getMessage().contains("pool 'default' cannot take 512 MiB more"), e.getMessage());
        assertEquals(List.of(), poolFiles());
        String id = newId();
        driver.createVolume(VolumeSpec.empty(id, 128 * MIB));
        assertThrows(StorageCapacityException.class, () -> driver.growVolume(id, 400 * MIB));
        assertEquals(128 * MIB, driver.inspectVolume(id).orElseThrow().sizeBytes());
    }

    @Test
    void idsThatAreNotPlatformIdsNeverBecomePaths() {
        DriverException e = assertThrows(DriverException.class,
                () -> driver.createVolume(VolumeSpec.empty("../../etc/passwd", 16 * MIB)));

        assertTrue(e.getMessage().contains("not a platform id"), e.getMessage());
        assertThrows(DriverException.class, () -> driver.deleteVolume("ABC"));
    }

    @Test
    void whatAnInterruptedCreationLeftIsRemovedWhenTheDriverStartsAndNeverListed() throws IOException {
        String id = newId();
        Path partial = poolDirectory.resolve("gcp-vol-" + id + ".raw.partial");
        Files.write(partial, new byte[4096]);
        assertEquals(List.of(), driver.listVolumes());

        new FileStorageDriver(poolDirectory, "default", false, 1.0);

        assertFalse(Files.exists(partial));
    }

    @Test
    void aPoolWithoutReflinkIsRefusedUnlessFullCopiesAreAllowed() throws IOException {
        Path plain = scratch.plainDirectory("ext4-pool");
        FileStorageDriver strict = new FileStorageDriver(plain, "slow", false, 1.0);

        HealthReport health = strict.probe();
        DriverException refused = assertThrows(DriverException.class,
                () -> strict.createVolume(VolumeSpec.empty(newId(), 16 * MIB)));

        assertFalse(health.usable(), health.detail());
        assertTrue(health.detail().contains("cannot reflink"), health.detail());
        assertTrue(refused.getMessage().contains("cannot reflink"), refused.getMessage());
        try (Listing files = new Listing(plain)) {
            assertEquals(List.of(), files.names());
        }

        FileStorageDriver lenient = new FileStorageDriver(plain, "slow", true, 1.0);
        assertTrue(lenient.probe().usable());
        assertTrue(lenient.probe().detail().contains("WARNING no reflink"), lenient.probe().detail());
        String id = newId();
        Path file = Path.of(lenient.createVolume(VolumeSpec.empty(id, 16 * MIB)).hostName());
        write(file, 0, bytes(6, 4096));
        String snapshotId = lenient.createSnapshot(newId(), id).snapshotId();
        Path copy = Path.of(lenient.createVolume(VolumeSpec.fromSnapshot(newId(), 16 * MIB, snapshotId)).hostName());
        assertArrayEquals(bytes(6, 4096), read(copy, 0, 4096));
    }

    /** The names of the files in a directory. */
    private record Listing(Path directory) implements AutoCloseable {
        List<String> names() throws IOException {
            try (var files = Files.list(directory)) {
                return files.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }

        @Override
        public void close() {
        }
    }

    private List<String> poolFiles() {
        try {
            return new Listing(poolDirectory).names();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
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
                // until full or the end
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** Bytes of the file's data that no other file shares, as btrfs counts them. */
    private static long exclusiveBytes(Path file) throws IOException {
        ScratchPools.run("sync", "-f", file.toString());
        String[] lines = ScratchPools.run("btrfs", "filesystem", "du", "--raw", "-s", file.toString()).strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].strip().split("\\s+")[1]);
    }
}
