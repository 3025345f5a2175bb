package io.goncloud.core.catalog;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Image;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.ImageService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.ImageEntity;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Imports images into the platform's image store (a directory every worker can read: local on an
 * all-in-one host, a shared mount on a multi-host cloud). Configured by {@code io.goncloud.images}.
 */
@Component(service = ImageService.class, configurationPid = "io.goncloud.images")
public class ImageServiceImpl implements ImageService {

    @ObjectClassDefinition(name = "GCP image store")
    public @interface StoreConfig {
        @AttributeDefinition(description = "Directory of imported image files; empty: ${karaf.data}/gcp/images")
        String store_dir() default "";
    }

    /** The formats compute drivers boot, and the file extension each is stored with. */
    private static final Map<String, String> FORMATS = Map.of("docker-rootfs", ".tar", "qcow2", ".qcow2", "raw", ".img");

    private final Database db;
    private final Path store;

    @Activate
    public ImageServiceImpl(@Reference Database db, StoreConfig config) {
        this(db, storeDir(config.store_dir()));
    }

    public ImageServiceImpl(Database db, Path store) {
        this.db = db;
        this.store = store;
    }

    public static Path storeDir(String configured) {
        return configured == null || configured.isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "gcp", "images").toAbsolutePath()
                : Path.of(configured.strip()).toAbsolutePath();
    }

    @Override
    public Image importImage(Caller caller, ImportImage request) {
        requireAdmin(caller);
        String name = Check.requiredText(request.name(), "name", 255);
        String format = Check.requiredText(request.format(), "format", 32);
        String extension = FORMATS.get(format);
        if (extension == null) {
            throw new GcpException(ErrorCode.IMAGE_UNSUPPORTED, "format must be one of " + FORMATS.keySet().stream()
                    .sorted().toList() + ", got '" + format + "'");
        }
        Path source = request.source();
        if (source == null || !Files.isRegularFile(source) || !Files.isReadable(source)) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "The image file '" + source
                    + "' does not exist or cannot be read");
        }
        checkContent(source, format);
        String id = Database.newId();
        Path target = store.resolve(id + extension);
        try {
            Files.createDirectories(store);
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return db.inTransaction(em -> {
                ImageEntity row = new ImageEntity();
                row.id = id;
                row.name = name;
                row.description = Check.optionalText(request.description(), "description", 1024);
                row.os = defaulted(request.os(), "linux");
                row.version = defaulted(request.version(), "1");
                row.architecture = defaulted(request.architecture(), "x86_64");
                row.format = format;
                row.location = target.toString();
                row.isPublic = request.isPublic();
                row.userId = caller.userId();
                row.size = sizeOf(target);
                row.createdAt = Database.now();
                em.persist(row);
                em.flush();
                return CatalogServiceImpl.toModel(row);
            });
        } catch (IOException e) {
            throw new GcpException(ErrorCode.INTERNAL_ERROR, "Could not copy the image into " + store + ": " + e.getMessage());
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
    }

    @Override
    public Image get(Caller caller, String imageId) {
        return db.read(em -> CatalogServiceImpl.toModel(find(em, caller, imageId)));
    }

    @Override
    public void delete(Caller caller, String imageId) {
        requireAdmin(caller);
        String location = db.inTransaction(em -> {
            ImageEntity row = find(em, caller, imageId);
            // A VM's disk is an overlay on the image's file (and a worker rebuilds a container image from it):
            // the file must outlive every instance that is not terminated yet.
            long instances = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM instances WHERE image_id = ? "
                    + "AND state <> 'terminated'").setParameter(1, row.id).getSingleResult()).longValue();
            if (instances > 0) {
                throw new GcpException(ErrorCode.DEPENDENCY_VIOLATION, "The image '" + row.id + "' has dependencies "
                        + "and cannot be deleted: " + instances + " instance(s) not terminated use it");
            }
            em.remove(row);
            return row.location;
        });
        if (location != null && Path.of(location).startsWith(store)) {
            deleteQuietly(Path.of(location));
        }
    }

    private static ImageEntity find(javax.persistence.EntityManager em, Caller caller, String imageId) {
        String id = Check.id(imageId, ErrorCode.IMAGE_MALFORMED, "image id");
        ImageEntity row = em.find(ImageEntity.class, id);
        if (row == null || !(row.isPublic || caller.canSee(row.userId))) {
            throw new GcpException(ErrorCode.IMAGE_NOT_FOUND, "The image id '" + imageId + "' does not exist");
        }
        return row;
    }

    /** Refuses files that are plainly not what their format says (a tar has "ustar" at offset 257). */
    private static void checkContent(Path source, String format) {
        if (!"docker-rootfs".equals(format)) {
            return;
        }
        try (InputStream in = Files.newInputStream(source)) {
            byte[] head = in.readNBytes(262);
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            boolean tar = head.length >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)
                    .equals("ustar");
            if (!gzip && !tar) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "A docker-rootfs image must be a tar archive "
                        + "(optionally gzip-compressed) of a root file system; '" + source + "' is neither");
            }
        } catch (IOException e) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read '" + source + "': " + e.getMessage());
        }
    }

    private static String defaulted(String value, String fallback) {
        String text = Check.optionalText(value, "image attribute", 64);
        return text == null || text.isEmpty() ? fallback : text;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray file in the store is harmless; the row is what counts
        }
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new GcpException(ErrorCode.UNAUTHORIZED_OPERATION, "Only administrators may import or delete images");
        }
    }
}
