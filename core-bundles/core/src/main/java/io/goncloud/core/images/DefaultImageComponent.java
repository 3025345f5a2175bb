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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Gives a fresh installation an image to launch: the public image {@value #NAME}, a
 * {@link BusyboxRootfs} tarball built from the host's busybox-static into the image store. On every
 * activation: if no public image of that name exists, builds {@code <store.dir>/<id>.tar} and inserts the
 * row; if the row exists but its file is gone, rebuilds the file in place; otherwise does nothing.
 * Provides no service.
 */
@Component(service = {}, immediate = true, configurationPid = DefaultImageComponent.PID)
@Designate(ocd = ImagesConfig.class)
public class DefaultImageComponent {

    public static final String PID = "io.goncloud.images";
    public static final String DEFAULT_STORE_DIR = "${karaf.data}/gcp/images";
    static final String NAME = "busybox";
    static final String FORMAT = "docker-rootfs";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultImageComponent.class);

    @Activate
    public DefaultImageComponent(@Reference Database db, ImagesConfig config) {
        this(db, storeDir(config.store_dir()), config.default_image_enabled(), BusyboxRootfs.DEFAULT_BUSYBOX);
    }

    DefaultImageComponent(Database db, Path storeDir, boolean enabled, Path busybox) {
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
        Optional<ImageEntity> existing = db.inTransaction(em -> em.createQuery(
                        "SELECT i FROM ImageEntity i WHERE i.name = :name AND i.isPublic = true "
                                + "ORDER BY i.createdAt, i.id", ImageEntity.class)
                .setParameter("name", NAME)
                .setMaxResults(1)
                .getResultList().stream().findFirst());
        return existing.isPresent() ? repair(db, existing.get(), rootfs) : create(db, storeDir, rootfs);
    }

    private static ImageEntity create(Database db, Path storeDir, BusyboxRootfs rootfs) throws IOException {
        Files.createDirectories(storeDir);
        ImageEntity image = new ImageEntity();
        image.id = Database.newId();
        Path file = storeDir.resolve(image.id + ".tar").toAbsolutePath();
        // Written aside and moved in after the row commits: a crash in between leaves a row whose file is
        // missing, which the next activation rebuilds in place, never a file no row knows.
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            rootfs.writeTo(partial);
            image.version = rootfs.version();
            image.name = NAME;
            image.description = "BusyBox " + image.version + ": a minimal Linux built on this host from "
                    + "busybox-static; /sbin/init runs user data scripts (#!...)";
            image.os = "linux";
            image.architecture = architecture(System.getProperty("os.arch"));
            image.format = FORMAT;
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
        LOG.info("Created the public image '{}' {} (BusyBox {}, {} bytes) in {}", NAME, image.id, image.version,
                image.size, file);
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
