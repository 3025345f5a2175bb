package io.goncloud.driver.docker;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.storage.AttachHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.goncloud.driver.docker.TestHost.check;
import static io.goncloud.driver.docker.TestHost.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Volumes in running containers, against a real Docker Engine: a loop device over a sparse file (as the file
 * storage driver hands it out) is mounted into one container, written there, taken out, and read in another.
 */
class DockerVolumeTest {

    private static TestHost host;
    private static DockerComputeDriver driver;
    @TempDir
    static Path stateDir;
    private final List<String> launched = new ArrayList<>();
    private Path scratch;
    private String device;

    @BeforeAll
    static void setUp() throws Exception {
        String reason = TestHost.unavailableReason();
        assertNull(reason, "the Docker volume tests need Docker Engine and root");
        host = new TestHost();
        host.removeStaleLeftovers();
        assertNull(host.buildImages(), "the test images");
        host.createNamespace();
        driver = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, host.netns, "", stateDir.toString());
    }

    @AfterAll
    static void tearDown() {
        if (driver != null) {
            driver.close();
        }
        if (host != null) {
            host.removeAll();
        }
    }

    /** A blank 64 MiB volume on a loop device, under a gcp-named directory (removed with its loop device). */
    @BeforeEach
    void blankVolume() throws IOException {
        scratch = Files.createTempDirectory("gcp-docker-volume-test-");
        Path file = scratch.resolve("gcp-vol.raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(64L << 20);
        }
        device = check("losetup", "losetup", "--find", "--show", file.toString()).output().strip();
    }

    @AfterEach
    void removeAll() throws IOException {
        for (String id : launched) {
            driver.destroy(id); // its mount goes with its mount namespace
        }
        run("losetup", "--detach", device);
        try (var files = Files.walk(scratch)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private String runningContainer() {
        String id = UUID.randomUUID().toString();
        launched.add(id);
        driver.launch(new InstanceSpec(id, new ImageRef("img-" + id.substring(0, 8), "docker-rootfs", host.image), 1, 64,
                1, List.of(), null, List.of(), Map.of(TestHost.RUN_LABEL, host.runId)));
        return id;
    }

    private AttachHandle handle(String volumeId) {
        return new AttachHandle(volumeId, AttachHandle.Kind.BLOCK_DEVICE, device, "raw");
    }

    private static TestHostResult exec(String id, String command) {
        var result = run("docker", "exec", DockerComputeDriver.containerName(id), "sh", "-c", command);
        return new TestHostResult(result.ok(), result.output());
    }

    private record TestHostResult(boolean ok, String output) {
    }

    @Test
    void aVolumeWrittenInOneContainerIsReadInAnotherAfterMovingIt() {
        String volumeId = UUID.randomUUID().toString();
        String first = runningContainer();

        driver.attachVolume(first, handle(volumeId), "/data");
        driver.attachVolume(first, handle(volumeId), "/data"); // again: left as it is

        assertTrue(exec(first, "echo kept > /data/greeting && sync").ok());
        assertEquals("kept", exec(first, "cat /data/greeting").output());
        assertEquals("ext4", check("blkid", "blkid", "-o", "value", "-s", "TYPE", device).output().strip(),
                "a blank volume got a file system");
        assertTrue(exec(first, "ls /dev").output().lines().noneMatch(n -> n.startsWith("gcp-vol-")),
                "no device node stays in the container");

        driver.detachVolume(first, volumeId, "/data");
        driver.detachVolume(first, volumeId, "/data"); // not attached any more: fine
        assertFalse(exec(first, "test -e /data/greeting").ok(), "gone from the first container");

        String second = runningContainer();
        driver.attachVolume(second, handle(volumeId), "/srv/volume");
        assertEquals("kept", exec(second, "cat /srv/volume/greeting").output());
    }

    @Test
    void aVolumeAttachedToAStoppedContainerIsMountedWhenAskedAgainAfterItsStart() {
        String id = runningContainer();
        String volumeId = UUID.randomUUID().toString();
        driver.attachVolume(id, handle(volumeId), "/data");
        exec(id, "echo before > /data/f && sync");
        driver.detachVolume(id, volumeId, "/data");
        driver.stop(id, java.time.Duration.ofSeconds(5));

        driver.attachVolume(id, handle(volumeId), "/data"); // stopped: nothing to do, no error
        driver.launch(new InstanceSpec(id, new ImageRef("img-" + id.substring(0, 8), "docker-rootfs", host.image), 1,
                64, 1, List.of(), null, List.of(), Map.of(TestHost.RUN_LABEL, host.runId)));
        assertFalse(exec(id, "test -e /data/f").ok(), "a restarted container has a new mount namespace");
        driver.attachVolume(id, handle(volumeId), "/data");

        assertEquals("before", exec(id, "cat /data/f").output());
    }

    @Test
    void pathsThatWouldHideTheSystemOrEscapeAreRefused() {
        String id = runningContainer();
        String volumeId = UUID.randomUUID().toString();

        for (String bad : List.of("/proc/x", "/", "data", "/data/../etc", "/dev", "/a b", "/etc/passwd")) {
            assertThrows(DriverException.class, () -> driver.attachVolume(id, handle(volumeId), bad), bad);
        }
        assertThrows(DriverException.class, () -> driver.attachVolume(id,
                new AttachHandle(volumeId, AttachHandle.Kind.FILE, "/tmp/x.raw", "raw"), "/data"));
        assertFalse(exec(id, "test -e /data").ok(), "nothing was made in the container");
    }
}
