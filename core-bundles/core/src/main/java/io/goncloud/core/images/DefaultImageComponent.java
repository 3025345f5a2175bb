package io.goncloud.core.images;

import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.ImageEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Gives a fresh installation images to launch:
 * <ul>
 * <li>the public image {@value #NAME}, a {@link BusyboxRootfs} tarball built from the host's busybox-static into
 * the image store. On every activation: if no public image of that name exists, builds {@code <store.dir>/<id>.tar}
 * and inserts the row; if the row exists but its file is gone, rebuilds the file in place; otherwise does
 * nothing;</li>
 * <li>the public virtual machine image {@value #VM_NAME} (qcow2), copied from the file scripts/build-vm-image.sh
 * builds ({@code default.vm.image.file}) into {@code <store.dir>/<id>.qcow2}: never referenced where it was
 * built (the builder replaces that file by rename, and overlays find their backing file by path). If the row
 * exists but its file is gone, the file is copied again; an existing image file is never rewritten (overlays
 * of running VMs read it).</li>
 * </ul>
 * Provides no service.
 */
@Component(service = {}, immediate = true, configurationPid = DefaultImageComponent.PID)
@Designate(ocd = ImagesConfig.class)
public class DefaultImageComponent {

    public static final String PID = "io.goncloud.images";
    public static final String DEFAULT_STORE_DIR = "${karaf.data}/gcp/images";
    static final String NAME = "busybox";
    static final String FORMAT = "docker-rootfs";
    public static final String VM_NAME = "busybox-vm";
    static final String VM_FORMAT = "qcow2";
    public static final String DEFAULT_VM_IMAGE_FILE = "/var/lib/gcp/vm-image/busybox-vm.qcow2";
    /** The first bytes of every qcow2 file: "QFI" 0xfb. */
    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    private static final Logger LOG = LoggerFactory.getLogger(DefaultImageComponent.class);

    @Activate
    public DefaultImageComponent(@Reference Database db, ImagesConfig config) {
        this(db, storeDir(config.store_dir()), config.default_image_enabled(), BusyboxRootfs.DEFAULT_BUSYBOX,
                vmImageFile(config.default_vm_image_file()));
    }

    /** The container image only (no VM image). */
    DefaultImageComponent(Database db, Path storeDir, boolean enabled, Path busybox) {
        this(db, storeDir, enabled, busybox, null);
    }

    /** @param vmImageFile the built busybox-vm qcow2 file to copy into the store; null: no VM image */
    DefaultImageComponent(Database db, Path storeDir, boolean enabled, Path busybox, Path vmImageFile) {
        defaultImage(db, storeDir, enabled, busybox);
        if (vmImageFile == null) {
            LOG.info("The default VM image is disabled (default.vm.image.file is empty in {})", PID);
            return;
        }
        try {
            ensureVmImage(db, storeDir, vmImageFile);
        } catch (IOException | RuntimeException e) {
            LOG.warn("No default VM image '{}': {}", VM_NAME, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static void defaultImage(Database db, Path storeDir, boolean enabled, Path busybox) {
        if (!enabled) {
            LOG.info("The default image is disabled (default.image.enabled=false in {})", PID);
            return;
        }
        if (!Files.exists(busybox)) {
            LOG.warn("No default image: {} is missing; install busybox-static (apt-get install busybox-static) "
                    + "and restart the platform to get the public image '{}'", busybox, NAME);
            return;
        }
        try {
            ensure(db, storeDir, new BusyboxRootfs(busybox));
        } catch (IOException | IllegalStateException e) {
            LOG.warn("No default image: {}", e.getMessage());
        }
    }

    /** Finds the public {@value #NAME} image, creating it or rebuilding its missing file. */
    static ImageEntity ensure(Database db, Path storeDir, BusyboxRootfs rootfs) throws IOException {
        Optional<ImageEntity> existing = findPublic(db, NAME);
        return existing.isPresent() ? repair(db, existing.get(), rootfs) : create(db, storeDir, rootfs);
    }

    private static ImageEntity create(Database db, Path storeDir, BusyboxRootfs rootfs) throws IOException {
        ImageEntity image = publish(db, storeDir, ".tar", rootfs::writeTo, (row, written) -> {
            row.version = rootfs.version();
            row.name = NAME;
            row.description = "BusyBox " + row.version + ": a minimal Linux built on this host from "
                    + "busybox-static; /sbin/init runs user data scripts (#!...)";
            row.format = FORMAT;
        });
        LOG.info("Created the public image '{}' {} (BusyBox {}, {} bytes) in {}", NAME, image.id, image.version,
                image.size, image.location);
        return image;
    }

    private static ImageEntity repair(Database db, ImageEntity image, BusyboxRootfs rootfs) throws IOException {
        if (!FORMAT.equals(image.format) || image.location == null || !image.location.startsWith("/")) {
            return image; // an operator's image of that name, not a tarball here: not ours to touch
        }
        Path file = Path.of(image.location);
        if (Files.isRegularFile(file)) {
            return image;
        }
        LOG.info("The file {} of the public image '{}' {} is missing: rebuilding it", file, NAME, image.id);
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            rootfs.writeTo(partial);
            long size = Files.size(partial);
            String version = rootfs.version();
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            db.run(em -> {
                ImageEntity row = em.find(ImageEntity.class, image.id);
                if (row != null) {
                    row.size = size;
                    row.version = version;
                }
            });
            image.size = size;
            image.version = version;
        } finally {
            Files.deleteIfExists(partial);
        }
        return image;
    }

    /**
     * Finds the public {@value #VM_NAME} image, creating it from {@code source} (the file scripts/build-vm-image.sh
     * builds) or copying its missing file again. Empty when there is none and {@code source} is missing or not
     * a qcow2 file (logged, with how to build it). Never rewrites an existing image file.
     */
    public static Optional<ImageEntity> ensureVmImage(Database db, Path storeDir, Path source) throws IOException {
        Optional<ImageEntity> existing = findPublic(db, VM_NAME);
        if (existing.isPresent()) {
            ImageEntity image = existing.get();
            if (!VM_FORMAT.equals(image.format) || image.location == null || !image.location.startsWith("/")
                    || Files.isRegularFile(Path.of(image.location))) {
                return existing; // present, or an operator's image of that name: not ours to touch
            }
            if (!usableVmSource(source)) {
                LOG.warn("The file {} of the public image '{}' {} is missing and cannot be copied again", image.location,
                        VM_NAME, image.id);
                return existing;
            }
            LOG.info("The file {} of the public image '{}' {} is missing: copying {} again", image.location, VM_NAME,
                    image.id, source);
            Path file = Path.of(image.location);
            long size = copyIn(source, file);
            db.run(em -> {
                ImageEntity row = em.find(ImageEntity.class, image.id);
                if (row != null) {
                    row.size = size;
                }
            });
            image.size = size;
            return existing;
        }
        if (!usableVmSource(source)) {
            return Optional.empty();
        }
        ImageEntity image = publish(db, storeDir, ".qcow2",
                partial -> Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING), (row, written) -> {
                    row.name = VM_NAME;
                    row.version = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC)
                            .format(Files.getLastModifiedTime(written).toInstant());
                    row.description = "BusyBox VM: a Debian kernel booting BusyBox (built on this host by "
                            + "scripts/build-vm-image.sh); gets its address by DHCP, runs user data scripts (#!...) "
                            + "once; needs at least 128 MiB of memory";
                    row.format = VM_FORMAT;
                });
        LOG.info("Created the public image '{}' {} ({} bytes) in {}, copied from {}", VM_NAME, image.id, image.size,
                image.location, source);
        return Optional.of(image);
    }

    private static Optional<ImageEntity> findPublic(Database db, String name) {
        return db.inTransaction(em -> em.createQuery(
                        "SELECT i FROM ImageEntity i WHERE i.name = :name AND i.isPublic = true "
                                + "ORDER BY i.createdAt, i.id", ImageEntity.class)
                .setParameter("name", name)
                .setMaxResults(1)
                .getResultList().stream().findFirst());
    }

    private interface FileWriter {
        void to(Path file) throws IOException;
    }

    private interface RowFiller {
        void fill(ImageEntity row, Path written) throws IOException;
    }

    /**
     * A new public image of this host: its file written into the store as {@code <id><extension>}, its row
     * described by {@code fill} (name, version, description, format). Written aside and moved in after the row
     * commits: a crash in between leaves a row whose file is missing, which the next activation writes again,
     * never a file no row knows.
     */
    private static ImageEntity publish(Database db, Path storeDir, String extension, FileWriter write, RowFiller fill)
            throws IOException {
        Files.createDirectories(storeDir);
        ImageEntity image = new ImageEntity();
        image.id = Database.newId();
        Path file = storeDir.resolve(image.id + extension).toAbsolutePath();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            write.to(partial);
            fill.fill(image, partial);
            image.os = "linux";
            image.architecture = architecture(System.getProperty("os.arch"));
            image.location = file.toString();
            image.isPublic = true;
            image.userId = null;
            image.size = Files.size(partial);
            image.createdAt = Database.now();
            db.run(em -> em.persist(image));
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return image;
    }

    /** Copies {@code source} aside and moves it to {@code file}; its size. */
    private static long copyIn(Path source, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            long size = Files.size(partial);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return size;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static boolean usableVmSource(Path source) throws IOException {
        if (!Files.isRegularFile(source)) {
            LOG.warn("No default VM image '{}': {} is missing; build it with scripts/build-vm-image.sh {} "
                    + "(scripts/start.sh does) and restart the platform", VM_NAME, source, source);
            return false;
        }
        byte[] head = new byte[QCOW2_MAGIC.length];
        int read;
        try (InputStream in = Files.newInputStream(source)) {
            read = in.readNBytes(head, 0, head.length);
        }
        if (read != head.length || !Arrays.equals(head, QCOW2_MAGIC)) {
            LOG.warn("No default VM image '{}': {} is not a qcow2 file; rebuild it with scripts/build-vm-image.sh {}",
                    VM_NAME, source, source);
            return false;
        }
        return true;
    }

    /** The configured VM image file; null when empty (disabled). */
    static Path vmImageFile(String configured) {
        return configured == null || configured.isBlank() ? null : Path.of(configured.trim()).toAbsolutePath();
    }

    static Path storeDir(String configured) {
        String dir = configured == null || configured.isBlank() ? DEFAULT_STORE_DIR : configured.trim();
        if (dir.contains("${karaf.data}")) {
            String data = System.getProperty("karaf.data");
            if (data == null) {
                throw new IllegalStateException("store.dir of " + PID + " uses ${karaf.data}, which is not set");
            }
            dir = dir.replace("${karaf.data}", data);
        }
        return Path.of(dir).toAbsolutePath();
    }

    /** The platform's architecture names (those of uname -m), from the JVM's os.arch. */
    static String architecture(String osArch) {
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }
}
