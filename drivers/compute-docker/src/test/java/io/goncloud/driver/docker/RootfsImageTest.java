package io.goncloud.driver.docker;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.api.spi.compute.InstanceStatus;
import io.goncloud.api.spi.compute.InstanceStatus.PowerState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.goncloud.driver.docker.TestHost.check;
import static io.goncloud.driver.docker.TestHost.dockerInspect;
import static io.goncloud.driver.docker.TestHost.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images whose location is a root file system tarball: built once into the local daemon as
 * gcp-image:&lt;imageId&gt; and booted with /sbin/init, against the real Docker Engine. The tarballs are made
 * here with {@code tar} from the host's static busybox and a small init that behaves like the platform's
 * default image's (a TERM trap, user data scripts run in the background with their output on the console).
 */
class RootfsImageTest {

    /** The test image's PID 1. */
    static final String INIT = """
            #!/bin/sh
            trap 'echo gcptd-init: stopping; exit 0' TERM INT
            ud=/var/lib/gcp/user-data
            if [ -f "$ud" ] && [ "$(head -c 2 "$ud")" = '#!' ]; then
              chmod 0700 "$ud"
              "$ud" 2>&1 &
            fi
            echo gcptd-init: ready
            while :; do sleep 3600 & wait $!; done
            """;

    @TempDir
    static Path dir;
    private static Path tarball;
    private static Path gzipTarball;
    private static TestHost host;
    private static DockerComputeDriver driver;
    private static final AtomicInteger IMAGES = new AtomicInteger();
    private final List<String> instances = new CopyOnWriteArrayList<>();
    private final List<String> images = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        String reason = TestHost.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "Docker rootfs image tests skipped: " + reason);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")),
                "Docker rootfs image tests skipped: no /bin/busybox (apt-get install -y busybox-static)");
        host = new TestHost();
        host.removeStaleLeftovers();
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.setPosixFilePermissions(rootfs, PosixFilePermissions.fromString("rwxr-xr-x")); // becomes the image's /
        for (String d : List.of("bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "var/lib/gcp", "root", "run")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        for (String applet : List.of("sh", "head", "chmod", "sleep", "cat", "echo")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Path init = rootfs.resolve("sbin/init");
        Files.writeString(init, INIT);
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        tarball = dir.resolve("rootfs.tar");
        gzipTarball = dir.resolve("rootfs.tar.gz");
        check("tar", "tar", "-C", rootfs.toString(), "--owner=0", "--group=0", "--numeric-owner", "-cf",
                tarball.toString(), ".");
        check("tar -z", "tar", "-C", rootfs.toString(), "--owner=0", "--group=0", "--numeric-owner", "-czf",
                gzipTarball.toString(), ".");
        // An owner of its own: a platform running on this machine must not take the test's containers for its own.
        driver = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, "", "gcptd-rootfs-" + ProcessHandle.current().pid(),
                dir.resolve("state").toString());
    }

    @AfterEach
    void removeWhatTheTestMade() {
        for (String id : instances) {
            driver.destroy(id);
        }
        for (String imageId : images) {
            TestHost.removeImagesOf(imageId);
        }
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

    private String newImageId() {
        String id = host.newImageId(IMAGES.incrementAndGet());
        images.add(id);
        return id;
    }

    private InstanceSpec spec(String imageId, Path location, String userData) {
        String id = UUID.randomUUID().toString();
        instances.add(id);
        return new InstanceSpec(id, new ImageRef(imageId, "docker-rootfs", location.toString()), 1, 32, 1, List.of(),
                userData, List.of(), Map.of(TestHost.RUN_LABEL, host.runId));
    }

    private static String tag(String imageId) {
        return DockerComputeDriver.IMAGE_REPOSITORY + ":" + imageId;
    }

    /** The instance's console once it contains {@code text}, or what it had after 10 s. */
    private static String awaitConsole(String instanceId, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String console = driver.consoleOutput(instanceId, 4096);
        while (!console.contains(text) && System.nanoTime() < deadline) {
            TestHost.sleep(50);
            console = driver.consoleOutput(instanceId, 4096);
        }
        return console;
    }

    @Test
    void aTarballIsBuiltOnceBootsInitRunsUserDataAndStopsAtOnce() {
        String imageId = newImageId();
        InstanceSpec first = spec(imageId, tarball, "#!/bin/sh\necho hello-from-user-data\n");

        InstanceStatus status = driver.launch(first);

        assertEquals(PowerState.RUNNING, status.power(), status.detail());
        assertEquals("true " + imageId + " [\"/sbin/init\"]", dockerInspect(tag(imageId),
                "{{index .Config.Labels \"gcp.managed\"}} {{index .Config.Labels \"gcp.image-id\"}} {{json .Config.Cmd}}"));
        assertEquals(tag(imageId), dockerInspect(DockerComputeDriver.containerName(first.instanceId()), "{{.Config.Image}}"));
        String console = awaitConsole(first.instanceId(), "hello-from-user-data");
        assertTrue(console.contains("gcptd-init: ready\n") && console.contains("hello-from-user-data\n"), console);

        String builtId = dockerInspect(tag(imageId), "{{.Id}}");
        InstanceStatus second = driver.launch(spec(imageId, tarball, null));
        assertEquals(PowerState.RUNNING, second.power(), second.detail());
        assertEquals(builtId, dockerInspect(tag(imageId), "{{.Id}}"), "the second launch reuses the image");
        assertEquals(List.of(builtId), TestHost.imagesLabelled(imageId));

        // PID 1 ignores signals it has no handler for: init's TERM trap makes the stop immediate.
        long started = System.nanoTime();
        InstanceStatus stopped = driver.stop(first.instanceId(), Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(new InstanceStatus(first.instanceId(), PowerState.STOPPED, "exited normally (exit code 0)"), stopped);
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "stop took " + took.toMillis() + " ms");
        assertTrue(driver.consoleOutput(first.instanceId(), 4096).endsWith("gcptd-init: stopping\n"));
    }

    /** The driver looks at an image once; an image removed by hand afterwards is built again at the next launch. */
    @Test
    void anImageRemovedByHandAfterALaunchIsBuiltAgain() {
        String imageId = newImageId();
        assertEquals(PowerState.RUNNING, driver.launch(spec(imageId, tarball, null)).power());
        check("docker rmi", "docker", "image", "rm", "-f", tag(imageId));
        assertEquals("", run("docker", "image", "ls", "-q", tag(imageId)).output().strip(), "removed");

        InstanceStatus again = driver.launch(spec(imageId, tarball, null));

        assertEquals(PowerState.RUNNING, again.power(), again.detail());
        assertTrue(dockerInspect(tag(imageId), "{{.Id}}").startsWith("sha256:"), "built again");
    }

    @Test
    void concurrentLaunchesOfANewImageBuildItOnceAndBothRun() throws Exception {
        String imageId = newImageId();
        InstanceSpec a = spec(imageId, gzipTarball, null);
        InstanceSpec b = spec(imageId, gzipTarball, null);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<InstanceStatus> fa = pool.submit(() -> {
                go.await();
                return driver.launch(a);
            });
            Future<InstanceStatus> fb = pool.submit(() -> {
                go.await();
                return driver.launch(b);
            });
            go.countDown();
            assertEquals(PowerState.RUNNING, fa.get().power(), fa.get().detail());
            assertEquals(PowerState.RUNNING, fb.get().power(), fb.get().detail());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, TestHost.imagesLabelled(imageId).size(), "built once, no second (dangling) build");
        assertTrue(awaitConsole(b.instanceId(), "gcptd-init: ready").contains("gcptd-init: ready"));
    }

    @Test
    void aMissingTarballFailsNamingThePath() {
        String imageId = newImageId();
        Path missing = dir.resolve("gcptd-no-such-rootfs.tar");
        InstanceSpec spec = spec(imageId, missing, null);

        DriverException e = assertThrows(DriverException.class, () -> driver.launch(spec));

        assertEquals("Cannot launch instance " + spec.instanceId() + ": cannot build image " + imageId + " from its root "
                + "file system tarball " + missing + ": the file does not exist on this host", e.getMessage());
        assertEquals("", run("docker", "ps", "-a", "-q", "--filter",
                "name=^/" + DockerComputeDriver.containerName(spec.instanceId()) + "$").output());
        assertFalse(run("docker", "image", "inspect", tag(imageId)).ok());
    }

    @Test
    void aFileThatIsNoTarballIsRefusedBeforeTheBuild() throws IOException {
        String imageId = newImageId();
        Path notTar = Files.writeString(dir.resolve("gcptd-not-a-tarball.tar"), "#!/bin/sh\necho not a tar\n");
        InstanceSpec spec = spec(imageId, notTar, null);

        DriverException e = assertThrows(DriverException.class, () -> driver.launch(spec));

        assertTrue(e.getMessage().contains(notTar.toString()) && e.getMessage().endsWith("it is not a tar archive "
                + "(plain, gzip, bzip2 or xz)"), e.getMessage());
        assertFalse(run("docker", "image", "inspect", tag(imageId)).ok());
    }
}
