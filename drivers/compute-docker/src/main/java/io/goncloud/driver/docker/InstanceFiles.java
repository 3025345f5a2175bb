package io.goncloud.driver.docker;

import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What an instance finds in its container from its first start. On a local Docker Engine the files are written
 * to a directory of the driver's on this host ({@link #write}) and bind-mounted at their places (a copy into the
 * container costs the daemon a ~0.2 s extraction per launch); for a remote engine they are a tar archive built
 * in memory and unpacked at {@code /} by the daemon ({@link #archive}):
 * <ul>
 *   <li>{@value #USER_DATA} (0600): the tenant's user data, if any;</li>
 *   <li>{@value #AUTHORIZED_KEYS} (0600, in a 0700 directory): the SSH public keys, one per line, if any;</li>
 *   <li>{@value #META_DATA} (0644): instance id, hostname, image, limits, NICs and labels, as JSON with
 *       snake_case keys (the platform's JSON dialect).</li>
 * </ul>
 * Entries are owned by root (uid/gid 0). Directories missing in the image are created by the daemon. Mounted,
 * {@code /var/lib/gcp} and {@code /root/.ssh} are the host directories themselves (writable, kept until the
 * instance is terminated), so they hide what the image had there.
 */
final class InstanceFiles {

    static final String USER_DATA = "/var/lib/gcp/user-data";
    static final String META_DATA = "/var/lib/gcp/meta-data.json";
    static final String AUTHORIZED_KEYS = "/root/.ssh/authorized_keys";

    /** The container directories that hold the files, and their names in the instance's host directory. */
    private static final Map<String, String> HOST_DIRS = Map.of("/var/lib/gcp", "gcp", "/root/.ssh", "ssh");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private InstanceFiles() {
    }

    /** The metadata document, as the guest reads it from {@value #META_DATA}. */
    static Map<String, Object> metaData(InstanceSpec spec, String hostname) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("instance_id", spec.instanceId());
        doc.put("hostname", hostname);
        doc.put("image_id", spec.image().imageId());
        doc.put("vcpus", spec.vcpus());
        doc.put("memory_mib", spec.memoryMiB());
        List<Map<String, Object>> nics = new ArrayList<>();
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec nic = spec.nics().get(i);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("device", "eth" + i);
            n.put("mac_address", nic.macAddress());
            n.put("ip_address", nic.ipAddress());
            n.put("prefix_length", nic.prefixLength());
            n.put("gateway", nic.gateway());
            nics.add(n);
        }
        doc.put("nics", nics);
        doc.put("labels", new TreeMap<>(spec.labels()));
        return doc;
    }

    /** A file of the instance's: its path in the container, mode and content. */
    record Entry(String path, int mode, byte[] content) {
    }

    /** A host directory mounted into the container, writable ({@code -v host:container}). */
    record Mount(Path hostDir, String containerDir) {
    }

    /** The instance's files: metadata always, user data and keys when it has them. */
    static List<Entry> entries(InstanceSpec spec, String hostname) {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(META_DATA, 0644, json(metaData(spec, hostname))));
        if (spec.userData() != null) {
            entries.add(new Entry(USER_DATA, 0600, spec.userData().getBytes(StandardCharsets.UTF_8)));
        }
        if (!spec.sshPublicKeys().isEmpty()) {
            StringBuilder keys = new StringBuilder();
            for (String key : spec.sshPublicKeys()) {
                keys.append(key.strip()).append('\n');
            }
            entries.add(new Entry(AUTHORIZED_KEYS, 0600, keys.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return entries;
    }

    /**
     * Writes the instance's files under {@code dir} ({@code gcp/} for {@code /var/lib/gcp}, {@code ssh/} (0700) for
     * {@code /root/.ssh} when it has keys) and returns what to mount where. The directories are the instance's
     * own from then on (its init marks there that the user data ran; ssh-keygen may write there); only the
     * platform's files are rewritten, each through a new file renamed into place, so that a link the instance
     * put in a file's place is replaced, never followed. {@code dir} is made through {@code quota}, which caps it
     * where it can.
     */
    static List<Mount> write(Path dir, InstanceSpec spec, String hostname, FilesQuota quota) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                quota.createDirectory(dir);
            }
            List<Mount> mounts = new ArrayList<>();
            List<Entry> entries = entries(spec, hostname);
            for (Map.Entry<String, String> mounted : HOST_DIRS.entrySet()) {
                List<Entry> inside = entries.stream()
                        .filter(e -> e.path().startsWith(mounted.getKey() + "/")).toList();
                if (inside.isEmpty()) {
                    continue;
                }
                Path hostDir = dir.resolve(mounted.getValue());
                if (!Files.isDirectory(hostDir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(hostDir);
                    Files.setPosixFilePermissions(hostDir, permissions(mounted.getKey().endsWith(".ssh") ? 0700 : 0755));
                }
                for (Entry entry : inside) {
                    Path file = hostDir.resolve(entry.path().substring(mounted.getKey().length() + 1));
                    Path fresh = Files.createTempFile(hostDir, ".gcp-", ".new");
                    Files.write(fresh, entry.content());
                    Files.setPosixFilePermissions(fresh, permissions(entry.mode()));
                    Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                mounts.add(new Mount(hostDir, mounted.getKey()));
            }
            // Marks the directory as in use now: the driver only sweeps directories left alone for a while.
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
            return mounts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the instance's files to " + dir, e);
        }
    }

    /** Removes what {@link #write} made, with whatever the instance added; links are removed, never followed. */
    static void remove(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the instance's files in " + dir, e);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /** The tar archive to unpack at {@code /} in the container. */
    static byte[] archive(InstanceSpec spec, String hostname) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            directory(tar, "var/lib/gcp/", 0755);
            for (Entry entry : entries(spec, hostname)) {
                if (AUTHORIZED_KEYS.equals(entry.path())) {
                    directory(tar, "root/.ssh/", 0700);
                }
                file(tar, entry.path(), entry.mode(), entry.content());
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] json(Object doc) {
        try {
            return (JSON.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the instance metadata", e);
        }
    }

    private static void directory(TarArchiveOutputStream tar, String path, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarArchiveEntry.LF_DIR);
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        root(entry);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String absolutePath, int mode, byte[] content)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(absolutePath.substring(1));
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        entry.setSize(content.length);
        root(entry);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void root(TarArchiveEntry entry) {
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("root");
        entry.setGroupName("root");
    }
}
