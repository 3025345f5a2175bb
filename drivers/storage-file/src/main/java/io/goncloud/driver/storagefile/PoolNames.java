package io.goncloud.driver.storagefile;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a pool directory. Every name starts with {@code gcp-}; the platform's id is in the name, so that a
 * restarted driver finds its volumes and snapshots again, and nothing else in the directory is ever touched.
 * A file being made carries the {@code .partial} suffix until it is complete and renamed, so that a crash leaves
 * no half-made volume under a volume's name.
 */
final class PoolNames {

    private static final String VOLUME = "gcp-vol-";
    private static final String SNAPSHOT = "gcp-snap-";
    private static final String RAW = ".raw";
    static final String PARTIAL = ".partial";
    private static final Pattern VOLUME_FILE = Pattern.compile(Pattern.quote(VOLUME) + "([0-9a-f-]{36})\\.raw");
    private static final Pattern SNAPSHOT_FILE = Pattern.compile(Pattern.quote(SNAPSHOT) + "([0-9a-f-]{36})\\.raw");

    private final Path directory;

    PoolNames(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    Path volume(String volumeId) {
        return directory.resolve(VOLUME + platformId(volumeId) + RAW);
    }

    Path snapshot(String snapshotId) {
        return directory.resolve(SNAPSHOT + platformId(snapshotId) + RAW);
    }

    /** Where a file is made before it is renamed to {@code target}. */
    static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + PARTIAL);
    }

    static Optional<String> volumeIdOf(Path file) {
        return idOf(VOLUME_FILE, file);
    }

    static Optional<String> snapshotIdOf(Path file) {
        return idOf(SNAPSHOT_FILE, file);
    }

    /** Whether the file is one this driver made (complete or not, or a probe's). */
    static boolean owned(Path file) {
        return file.getFileName().toString().startsWith("gcp-");
    }

    private static Optional<String> idOf(Pattern pattern, Path file) {
        Matcher m = pattern.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Ids become file names: only the platform's lower-case UUIDs are accepted (no path tricks). */
    private static String platformId(String id) {
        try {
            String canonical = UUID.fromString(id).toString();
            if (!canonical.equals(id)) {
                throw new IllegalArgumentException();
            }
            return canonical;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a platform id (a lower-case UUID): " + id);
        }
    }
}
