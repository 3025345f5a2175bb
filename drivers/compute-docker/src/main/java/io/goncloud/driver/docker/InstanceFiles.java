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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the driver writes into a container before its first start, as a tar archive built in memory and
 * unpacked at {@code /} by the Docker daemon:
 * <ul>
 *   <li>{@value #USER_DATA} (0600): the tenant's user data, if any;</li>
 *   <li>{@value #AUTHORIZED_KEYS} (0600, in a 0700 directory): the SSH public keys, one per line, if any;</li>
 *   <li>{@value #META_DATA} (0644): instance id, hostname, image, limits, NICs and labels, as JSON with
 *       snake_case keys (the platform's JSON dialect).</li>
 * </ul>
 * Entries are owned by root (uid/gid 0). Directories missing in the image are created by the daemon.
 */
final class InstanceFiles {

    static final String USER_DATA = "/var/lib/gcp/user-data";
    static final String META_DATA = "/var/lib/gcp/meta-data.json";
    static final String AUTHORIZED_KEYS = "/root/.ssh/authorized_keys";

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

    /** The tar archive to unpack at {@code /} in the container. */
    static byte[] archive(InstanceSpec spec, String hostname) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            directory(tar, "var/lib/gcp/", 0755);
            file(tar, META_DATA, 0644, json(metaData(spec, hostname)));
            if (spec.userData() != null) {
                file(tar, USER_DATA, 0600, spec.userData().getBytes(StandardCharsets.UTF_8));
            }
            if (!spec.sshPublicKeys().isEmpty()) {
                StringBuilder keys = new StringBuilder();
                for (String key : spec.sshPublicKeys()) {
                    keys.append(key.strip()).append('\n');
                }
                directory(tar, "root/.ssh/", 0700);
                file(tar, AUTHORIZED_KEYS, 0600, keys.toString().getBytes(StandardCharsets.UTF_8));
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
