package io.goncloud.driver.storagefile;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.storage.AttachHandle;
import io.goncloud.api.spi.storage.SnapshotInfo;
import io.goncloud.api.spi.storage.StorageCapacityException;
import io.goncloud.api.spi.storage.StorageDriver;
import io.goncloud.api.spi.storage.StoragePool;
import io.goncloud.api.spi.storage.VolumeInfo;
import io.goncloud.api.spi.storage.VolumeSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Volumes as sparse raw files in one pool directory, snapshots as reflink copies of them (the file system shares
 * the data until either side is written), so that both take milliseconds whatever the size. The pool must be on a
 * file system that can reflink (btrfs, XFS with reflink): elsewhere every snapshot would copy the whole volume,
 * so such a pool is refused unless {@code allow_full_copies} is set. Virtual machines open the volume's file
 * itself; containers get a loop device over it.
 */
@Component(service = StorageDriver.class, configurationPid = FileStorageDriver.PID,
        property = Driver.PROPERTY_DRIVER_NAME + "=" + FileStorageDriver.NAME)
@Designate(ocd = FileStorageDriver.Config.class)
public class FileStorageDriver implements StorageDriver {

    private static final Logger LOG = LoggerFactory.getLogger(FileStorageDriver.class);

    static final String NAME = "file";
    static final String PID = "io.goncloud.driver.storage.file";

    @ObjectClassDefinition(name = "GCP storage driver: sparse files")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the pool, on btrfs or XFS with reflink; created if missing")
        String pool_directory() default "/var/lib/gcp/volumes";

        @AttributeDefinition(description = "The pool's name in the platform")
        String pool_name() default "default";

        @AttributeDefinition(description = "Accept a pool that cannot reflink: every snapshot and every volume made "
                + "from one is then a full copy (about 1 s per GiB on ext4)")
        boolean allow_full_copies() default false;

        @AttributeDefinition(description = "How much the volumes' sizes may add up to, as a multiple of the pool's "
                + "capacity (volumes are sparse: space is taken as data is written)")
        double overcommit_ratio() default 1.0;
    }

    private final PoolNames names;
    private final String poolName;
    private final boolean allowFullCopies;
    private final double overcommitRatio;
    /** Whether the pool's file system can reflink; found out once (the file system under a directory stays). */
    private Boolean reflinks;

    @Activate
    public FileStorageDriver(Config config) {
        this(Path.of(config.pool_directory()), config.pool_name(), config.allow_full_copies(),
                config.overcommit_ratio());
    }

    /** For tests and for wiring without OSGi. */
    public FileStorageDriver(Path poolDirectory, String poolName, boolean allowFullCopies, double overcommitRatio) {
        this.names = new PoolNames(poolDirectory.toAbsolutePath().normalize());
        this.poolName = poolName;
        this.allowFullCopies = allowFullCopies;
        this.overcommitRatio = overcommitRatio;
        try {
            Files.createDirectories(names.directory());
            removeUnfinished();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Storage pool {} at {} is not usable yet: {}", poolName, names.directory(), e.getMessage());
        }
    }

    @Override
    public DriverInfo info() {
        return new DriverInfo(NAME, DriverKind.STORAGE, "0.1.0", Set.of(CAPABILITY_CHEAP_SNAPSHOTS, CAPABILITY_GROW,
                CAPABILITY_THIN, AttachHandle.Kind.FILE.capability(), AttachHandle.Kind.BLOCK_DEVICE.capability()));
    }

    @Override
    public synchronized HealthReport probe() {
        if (!Files.isDirectory(names.directory())) {
            return HealthReport.unusable("pool directory " + names.directory() + " does not exist and cannot be made");
        }
        String type;
        try {
            type = PoolFileSystem.type(names.directory());
            reflinks = PoolFileSystem.reflinks(names.directory());
        } catch (DriverException e) {
            return HealthReport.unusable(e.getMessage());
        }
        String loops = LoopDevices.available() ? "loop devices for containers available"
                : "no loop devices: containers cannot attach volumes";
        StoragePool pool = pool();
        String space = String.format("%d MiB free of %d MiB, %d MiB provisioned", pool.freeBytes() >> 20,
                pool.capacityBytes() >> 20, pool.provisionedBytes() >> 20);
        String where = "pool '" + poolName + "' at " + names.directory() + " on " + type;
        if (reflinks) {
            return HealthReport.ok(where + ": reflink copies work (snapshots in milliseconds); " + space + "; " + loops);
        }
        if (allowFullCopies) {
            return HealthReport.ok(where + ": WARNING no reflink, every snapshot is a full copy (slow, takes the "
                    + "volume's whole size); " + space + "; " + loops);
        }
        return HealthReport.unusable(where + " cannot reflink: snapshots would be full copies (~1 s per GiB); put "
                + "the pool on btrfs or XFS with reflink, or set allow_full_copies=true");
    }

    @Override
    public synchronized List<StoragePool> pools() {
        return List.of(pool());
    }

    private StoragePool pool() {
        FileStore store = PoolFileSystem.store(names.directory());
        try {
            long provisioned = listVolumes().stream().mapToLong(VolumeInfo::sizeBytes).sum();
            String detail = reflinks == null ? "" : reflinks ? "reflink" : "no reflink: snapshots are full copies";
            return new StoragePool(poolName, names.directory().toString(), store.getTotalSpace(),
                    store.getUsableSpace(), provisioned, detail);
        } catch (IOException e) {
            throw new DriverException("cannot read the space of " + names.directory() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized VolumeInfo createVolume(VolumeSpec spec) {
        if (spec.pool() != null && !spec.pool().equals(poolName)) {
            throw new DriverException("this host's file storage has no pool '" + spec.pool() + "' (only '"
                    + poolName + "')");
        }
        Path target = volumeFile(spec.volumeId());
        Optional<VolumeInfo> existing = inspectVolume(spec.volumeId());
        if (existing.isPresent()) {
            return existing.get();
        }
        requireUsable();
        requireRoom(spec.sizeBytes());
        Path source = null;
        if (spec.sourceSnapshotId() != null) {
            source = snapshotFile(spec.sourceSnapshotId());
            if (!Files.isRegularFile(source)) {
                throw new DriverException("snapshot " + spec.sourceSnapshotId() + " is not in pool '" + poolName + "'");
            }
            long snapshotSize = size(source);
            if (spec.sizeBytes() < snapshotSize) {
                throw new DriverException("a volume from snapshot " + spec.sourceSnapshotId() + " needs at least "
                        + snapshotSize + " bytes, not " + spec.sizeBytes());
            }
        }
        Path from = source;
        make(target, partial -> {
            if (from != null) {
                copy(from, partial);
            }
            setLength(partial, spec.sizeBytes());
        });
        LOG.info("Created volume {} ({} MiB{})", spec.volumeId(), spec.sizeBytes() >> 20,
                from == null ? "" : ", from snapshot " + spec.sourceSnapshotId());
        return inspectVolume(spec.volumeId()).orElseThrow();
    }

    @Override
    public synchronized VolumeInfo growVolume(String volumeId, long sizeBytes) {
        Path file = volumeFile(volumeId);
        long current = existingSize(file, "volume " + volumeId);
        if (sizeBytes < current) {
            throw new DriverException("volume " + volumeId + " cannot shrink from " + current + " to " + sizeBytes
                    + " bytes");
        }
        if (sizeBytes > current) {
            if (sizeBytes % VolumeSpec.MIB != 0) {
                throw new DriverException("a volume's size is a multiple of 1 MiB, not " + sizeBytes);
            }
            requireRoom(sizeBytes - current);
            setLength(file, sizeBytes);
            LoopDevices.of(file).forEach(LoopDevices::refreshSize);
        }
        return inspectVolume(volumeId).orElseThrow();
    }

    @Override
    public synchronized void deleteVolume(String volumeId) {
        Path file = volumeFile(volumeId);
        List<String> loops = Files.exists(file) ? LoopDevices.of(file) : List.of();
        if (!loops.isEmpty()) {
            throw new DriverException("volume " + volumeId + " is attached through " + String.join(", ", loops)
                    + ": close its attachment first");
        }
        delete(file);
        delete(PoolNames.partial(file));
    }

    @Override
    public synchronized Optional<VolumeInfo> inspectVolume(String volumeId) {
        Path file = volumeFile(volumeId);
        return Optional.ofNullable(FileStat.of(List.of(file)).get(file)).map(stat -> volumeInfo(volumeId, file, stat));
    }

    @Override
    public synchronized List<VolumeInfo> listVolumes() {
        List<Path> files = poolFiles().filter(f -> PoolNames.volumeIdOf(f).isPresent()).toList();
        Map<Path, FileStat> stats = FileStat.of(files);
        return files.stream().filter(stats::containsKey)
                .map(f -> volumeInfo(PoolNames.volumeIdOf(f).orElseThrow(), f, stats.get(f))).toList();
    }

    @Override
    public synchronized SnapshotInfo createSnapshot(String snapshotId, String volumeId) {
        Path target = snapshotFile(snapshotId);
        Optional<SnapshotInfo> existing = inspectSnapshot(snapshotId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path volume = volumeFile(volumeId);
        existingSize(volume, "volume " + volumeId);
        requireUsable();
        make(target, partial -> copy(volume, partial));
        LOG.info("Took snapshot {} of volume {}", snapshotId, volumeId);
        return inspectSnapshot(snapshotId).orElseThrow();
    }

    @Override
    public synchronized void deleteSnapshot(String snapshotId) {
        Path file = snapshotFile(snapshotId);
        delete(file);
        delete(PoolNames.partial(file));
    }

    @Override
    public synchronized Optional<SnapshotInfo> inspectSnapshot(String snapshotId) {
        Path file = snapshotFile(snapshotId);
        return Optional.ofNullable(FileStat.of(List.of(file)).get(file))
                .map(stat -> new SnapshotInfo(snapshotId, poolName, stat.sizeBytes(), file.toString()));
    }

    @Override
    public synchronized List<SnapshotInfo> listSnapshots() {
        List<Path> files = poolFiles().filter(f -> PoolNames.snapshotIdOf(f).isPresent()).toList();
        Map<Path, FileStat> stats = FileStat.of(files);
        return files.stream().filter(stats::containsKey).map(f -> new SnapshotInfo(
                PoolNames.snapshotIdOf(f).orElseThrow(), poolName, stats.get(f).sizeBytes(), f.toString())).toList();
    }

    @Override
    public synchronized AttachHandle openAttachment(String volumeId, AttachHandle.Consumer consumer) {
        Path file = volumeFile(volumeId);
        existingSize(file, "volume " + volumeId);
        if (consumer == AttachHandle.Consumer.VIRTUAL_MACHINE) {
            return new AttachHandle(volumeId, AttachHandle.Kind.FILE, file.toString(), "raw");
        }
        List<String> loops = LoopDevices.of(file);
        String device = loops.isEmpty() ? LoopDevices.attach(file) : loops.get(0);
        return new AttachHandle(volumeId, AttachHandle.Kind.BLOCK_DEVICE, device, "raw");
    }

    @Override
    public synchronized void closeAttachment(String volumeId) {
        Path file = volumeFile(volumeId);
        if (Files.exists(file)) {
            LoopDevices.of(file).forEach(LoopDevices::detach);
        }
    }

    private VolumeInfo volumeInfo(String volumeId, Path file, FileStat stat) {
        return new VolumeInfo(volumeId, poolName, stat.sizeBytes(), stat.allocatedBytes(), file.toString());
    }

    private Path volumeFile(String volumeId) {
        try {
            return names.volume(volumeId);
        } catch (IllegalArgumentException e) {
            throw new DriverException(e.getMessage(), e);
        }
    }

    private Path snapshotFile(String snapshotId) {
        try {
            return names.snapshot(snapshotId);
        } catch (IllegalArgumentException e) {
            throw new DriverException(e.getMessage(), e);
        }
    }

    private void requireUsable() {
        if (reflinks == null) {
            HealthReport health = probe();
            if (!health.usable()) {
                throw new DriverException(health.detail());
            }
        } else if (!reflinks && !allowFullCopies) {
            throw new DriverException(probe().detail());
        }
    }

    private void requireRoom(long addingBytes) {
        StoragePool pool = pool();
        long limit = (long) (pool.capacityBytes() * overcommitRatio);
        if (pool.provisionedBytes() + addingBytes > limit) {
            throw new StorageCapacityException("pool '" + poolName + "' cannot take " + (addingBytes >> 20)
                    + " MiB more: " + (pool.provisionedBytes() >> 20) + " MiB of its " + (limit >> 20)
                    + " MiB are provisioned");
        }
    }

    /**
     * Makes {@code target} under its partial name and renames it when complete, so that a failure or a crash never
     * leaves a half-made file under the real name; the partial file is removed on failure.
     */
    private void make(Path target, java.util.function.Consumer<Path> fill) {
        Path partial = PoolNames.partial(target);
        try {
            Files.deleteIfExists(partial);
            fill.accept(partial);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            delete(partial);
            throw new DriverException("cannot make " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            delete(partial);
            throw e;
        }
    }

    /** A reflink copy; a full (sparse) copy only where the operator allowed it. */
    private void copy(Path from, Path to) {
        List<String> how = allowFullCopies ? List.of("--reflink=auto", "--sparse=always") : List.of("--reflink=always");
        List<String> argv = new java.util.ArrayList<>(List.of("cp"));
        argv.addAll(how);
        argv.addAll(List.of(from.toString(), to.toString()));
        HostCommand.check("cannot copy " + from + " to " + to, argv);
    }

    private static void setLength(Path file, long sizeBytes) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(sizeBytes);
        } catch (IOException e) {
            throw new DriverException("cannot size " + file + " to " + sizeBytes + " bytes: " + e.getMessage(), e);
        }
    }

    private static long existingSize(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new DriverException(what + " does not exist on this host (no " + file + ")");
        }
        return size(file);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DriverException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new DriverException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private Stream<Path> poolFiles() {
        if (!Files.isDirectory(names.directory())) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(names.directory())) {
            return files.filter(PoolNames::owned).toList().stream();
        } catch (IOException e) {
            throw new DriverException("cannot list the pool directory " + names.directory() + ": " + e.getMessage(), e);
        }
    }

    /** A partial file is a creation that a crash interrupted (the driver's calls run one at a time). */
    private void removeUnfinished() {
        poolFiles().filter(f -> f.getFileName().toString().endsWith(PoolNames.PARTIAL)
                        || f.getFileName().toString().startsWith("gcp-reflink-probe-"))
                .forEach(f -> {
                    LOG.info("Removing {}, left by an interrupted operation", f);
                    delete(f);
                });
    }
}
