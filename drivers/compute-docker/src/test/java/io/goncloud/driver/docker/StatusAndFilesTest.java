package io.goncloud.driver.docker;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the driver that need no Docker daemon: state mapping, instance files, validation. */
class StatusAndFilesTest {

    private static InstanceStatus exited(long code, boolean oom, String error) {
        return DockerComputeDriver.status("i-1", "exited", false, false, false, oom, false, code, error, 0,
                64L * 1024 * 1024);
    }

    @Test
    void mapsDockerStatesToPowerStates() {
        InstanceStatus running = DockerComputeDriver.status("i-1", "running", true, false, false, false, false, 0, "",
                4242, 0);
        assertEquals(PowerState.RUNNING, running.power());
        assertTrue(running.detail().contains("/proc/4242/ns/net"), running.detail());

        assertEquals(PowerState.STOPPED, exited(0, false, "").power());
        assertEquals(new InstanceStatus("i-1", PowerState.STOPPED, "stopped by signal SIGKILL (exit code 137)"),
                exited(137, false, ""));
        assertEquals(PowerState.STOPPED, exited(143, false, "").power());
        assertEquals(new InstanceStatus("i-1", PowerState.CRASHED, "killed by signal SIGSEGV (exit code 139)"),
                exited(139, false, ""));
        assertEquals(new InstanceStatus("i-1", PowerState.CRASHED, "exited with code 3"), exited(3, false, null));
        InstanceStatus oom = exited(137, true, "");
        assertEquals(PowerState.CRASHED, oom.power());
        assertTrue(oom.detail().startsWith("out of memory") && oom.detail().contains("64 MiB"), oom.detail());
        InstanceStatus startError = exited(127, false, "exec: \"/bin/nope\": no such file or directory");
        assertEquals(PowerState.CRASHED, startError.power());
        assertTrue(startError.detail().contains("failed to start"), startError.detail());

        assertEquals(PowerState.STOPPED,
                DockerComputeDriver.status("i-1", "created", false, false, false, false, false, 0, "", 0, 0).power());
        assertEquals(PowerState.UNKNOWN,
                DockerComputeDriver.status("i-1", "paused", true, true, false, false, false, 0, "", 7, 0).power());
        assertEquals(PowerState.UNKNOWN,
                DockerComputeDriver.status("i-1", "restarting", true, false, true, false, false, 0, "", 7, 0).power());
        assertEquals(PowerState.CRASHED,
                DockerComputeDriver.status("i-1", "dead", false, false, false, false, true, 0, "", 0, 0).power());
        assertEquals(PowerState.UNKNOWN,
                DockerComputeDriver.status("i-1", "removing", false, false, false, false, false, 0, "", 0, 0).power());
    }

    private static InstanceSpec spec(Map<String, String> labels, String userData, List<String> keys, List<NicSpec> nics) {
        return new InstanceSpec("4f1c2d3e-0000-4000-8000-00000000abcd",
                new ImageRef("img-1", "docker-rootfs", "gcp-test/busybox:x"), 1, 64, 1, nics, userData, keys, labels);
    }

    @Test
    void archiveHoldsUserDataKeysAndMetadata() throws IOException {
        NicSpec nic = new NicSpec("02:00:00:00:00:01", "10.1.2.10", 24, "10.1.2.1", "gcpi0123456789a");
        InstanceSpec spec = spec(Map.of("hostname", "web-1", "team", "blue"), "#!/bin/sh\necho hi\n",
                List.of("ssh-ed25519 AAAA one", "ssh-rsa BBBB two\n"), List.of(nic));
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new ByteArrayInputStream(InstanceFiles.archive(spec, "web-1")))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), e);
                contents.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("var/lib/gcp/", "var/lib/gcp/meta-data.json", "var/lib/gcp/user-data", "root/.ssh/",
                "root/.ssh/authorized_keys"), List.copyOf(entries.keySet()));
        assertEquals(0600, entries.get("var/lib/gcp/user-data").getMode() & 0777);
        assertEquals(0700, entries.get("root/.ssh/").getMode() & 0777);
        assertEquals(0600, entries.get("root/.ssh/authorized_keys").getMode() & 0777);
        assertEquals(0, entries.get("root/.ssh/authorized_keys").getLongUserId());
        assertEquals("#!/bin/sh\necho hi\n", contents.get("var/lib/gcp/user-data"));
        assertEquals("ssh-ed25519 AAAA one\nssh-rsa BBBB two\n", contents.get("root/.ssh/authorized_keys"));

        JsonNode meta = new ObjectMapper().readTree(contents.get("var/lib/gcp/meta-data.json"));
        assertEquals(spec.instanceId(), meta.get("instance_id").asText());
        assertEquals("web-1", meta.get("hostname").asText());
        assertEquals("eth0", meta.get("nics").get(0).get("device").asText());
        assertEquals("10.1.2.10", meta.get("nics").get(0).get("ip_address").asText());
        assertEquals(24, meta.get("nics").get(0).get("prefix_length").asInt());
        assertEquals("blue", meta.get("labels").get("team").asText());
    }

    @Test
    void filesForMountingLiveInTwoDirectoriesWithTheirModes(@TempDir Path root) throws IOException {
        InstanceSpec spec = spec(Map.of(), "#!/bin/sh\necho hi\n", List.of("ssh-ed25519 AAAA one"), List.of());
        Path dir = root.resolve("owner").resolve(spec.instanceId());

        List<InstanceFiles.Mount> mounts = InstanceFiles.write(dir, spec, "web-1", new FilesQuota(dir.getParent()));

        assertEquals(Set.of(new InstanceFiles.Mount(dir.resolve("gcp"), "/var/lib/gcp"),
                new InstanceFiles.Mount(dir.resolve("ssh"), "/root/.ssh")), Set.copyOf(mounts));
        assertEquals("rwx------", mode(dir));
        assertEquals("rwxr-xr-x", mode(dir.resolve("gcp")));
        assertEquals("rw-r--r--", mode(dir.resolve("gcp/meta-data.json")));
        assertEquals("rw-------", mode(dir.resolve("gcp/user-data")));
        assertEquals("rwx------", mode(dir.resolve("ssh")));
        assertEquals("rw-------", mode(dir.resolve("ssh/authorized_keys")));
        assertEquals("ssh-ed25519 AAAA one\n", Files.readString(dir.resolve("ssh/authorized_keys")));
        try (var listing = Files.list(dir.resolve("gcp"))) {
            assertEquals(2, listing.count(), "no temporary file is left");
        }
        assertEquals(List.of(new InstanceFiles.Mount(root.resolve("other/gcp"), "/var/lib/gcp")),
                InstanceFiles.write(root.resolve("other"), spec(Map.of(), null, List.of(), List.of()), "h",
                        new FilesQuota(root)),
                "without keys, /root/.ssh is the image's");
    }

    @Test
    void aLinkTheInstancePutsInAFilesPlaceIsReplacedNotFollowed(@TempDir Path root) throws IOException {
        InstanceSpec spec = spec(Map.of(), "#!/bin/sh\n", List.of(), List.of());
        Path dir = root.resolve(spec.instanceId());
        InstanceFiles.write(dir, spec, "h", new FilesQuota(root));
        Path hostFile = Files.writeString(root.resolve("a-host-file"), "the host's\n");
        Files.delete(dir.resolve("gcp/meta-data.json"));
        Files.createSymbolicLink(dir.resolve("gcp/meta-data.json"), hostFile); // as root in the container could
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Files.createSymbolicLink(dir.resolve("gcp/link-to-a-directory"), outside);

        InstanceFiles.write(dir, spec, "h", new FilesQuota(root)); // the next start

        assertEquals("the host's\n", Files.readString(hostFile));
        assertFalse(Files.isSymbolicLink(dir.resolve("gcp/meta-data.json")));
        assertTrue(Files.readString(dir.resolve("gcp/meta-data.json")).contains(spec.instanceId()));

        InstanceFiles.remove(dir);

        assertFalse(Files.exists(dir));
        assertTrue(Files.exists(outside.resolve("keep")), "removal does not follow links");
        assertTrue(Files.exists(hostFile));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void archiveWithoutUserDataOrKeysHoldsOnlyMetadata() throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(
                InstanceFiles.archive(spec(Map.of(), null, List.of(), List.of()), "h")))) {
            assertEquals("var/lib/gcp/", tar.getNextEntry().getName());
            assertEquals("var/lib/gcp/meta-data.json", tar.getNextEntry().getName());
            assertEquals(null, tar.getNextEntry());
        }
    }

    @Test
    void hostnameComesFromTheLabelOrTheId() {
        assertEquals("web-1", DockerComputeDriver.hostname(spec(Map.of("hostname", "web-1"), null, List.of(), List.of())));
        assertEquals("4f1c2d3e-0000-4000-8000-00000000abcd",
                DockerComputeDriver.hostname(spec(Map.of(), null, List.of(), List.of())));
        DriverException e = assertThrows(DriverException.class,
                () -> DockerComputeDriver.hostname(spec(Map.of("hostname", "-bad_name"), null, List.of(), List.of())));
        assertTrue(e.getMessage().contains("not a valid host name"), e.getMessage());
    }

    @Test
    void nicFieldsAreValidatedBeforeReachingACommandLine() {
        NicPlumber.validate(0, new NicSpec("02:00:00:00:00:01", "10.1.2.10", 24, "10.1.2.1", "gcpi0123456789a"));
        NicPlumber.validate(1, new NicSpec("02:00:00:00:00:01", "fd00::10", 64, null, "gcpi0123456789b"));
        assertThrows(DriverException.class,
                () -> NicPlumber.validate(0, new NicSpec("02:00:00:00:00:01", "10.1.2.10", 24, "10.1.2.1", "-n evil")));
        assertThrows(DriverException.class,
                () -> NicPlumber.validate(0, new NicSpec("01:00:00:00:00:01", "10.1.2.10", 24, "10.1.2.1", "gcpi1")));
        assertThrows(DriverException.class,
                () -> NicPlumber.validate(0, new NicSpec("02:00:00:00:00:01", "10.1.2.300", 24, "10.1.2.1", "gcpi1")));
        assertThrows(DriverException.class,
                () -> NicPlumber.validate(0, new NicSpec("02:00:00:00:00:01", "10.1.2.3", 33, "10.1.2.1", "gcpi1")));
        assertThrows(DriverException.class,
                () -> NicPlumber.validate(0, new NicSpec("02:00:00:00:00:01", "10.1.2.3", 24, "fd00::1", "gcpi1")));
        assertThrows(DriverException.class,
                () -> NicPlumber.validate(0, new NicSpec("02:00:00:00:00:01", "10.1.2.3", 24, "10.1.2.1",
                        "gcpi0123456789abc")));
        assertTrue(NicPlumber.hasAddress("5: eth0    inet 10.1.2.10/24 scope global eth0", "10.1.2.10/24"));
        assertFalse(NicPlumber.hasAddress("5: eth0    inet 10.1.2.100/24 scope global eth0", "10.1.2.10/24"));
    }

    @Test
    void tailBufferKeepsTheLastBytesAndStartsOnACharacter() {
        DockerComputeDriver.TailBuffer tail = new DockerComputeDriver.TailBuffer(5);
        for (int i = 0; i < 100; i++) {
            tail.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(" 99\n", tail.toUtf8().substring(1));
        DockerComputeDriver.TailBuffer utf8 = new DockerComputeDriver.TailBuffer(3);
        utf8.write("aé€".getBytes(StandardCharsets.UTF_8)); // a, 2 bytes, 3 bytes: the last 3 bytes are €
        assertEquals("€", utf8.toUtf8());
        DockerComputeDriver.TailBuffer cut = new DockerComputeDriver.TailBuffer(4);
        cut.write("aé€".getBytes(StandardCharsets.UTF_8)); // second byte of é, then €
        assertEquals("€", cut.toUtf8());
    }
}
