package io.goncloud.agent;

import io.goncloud.api.model.Instance;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.model.Volume;
import io.goncloud.api.service.VolumeService.AttachVolume;
import io.goncloud.api.service.VolumeService.CreateSnapshot;
import io.goncloud.api.service.VolumeService.CreateVolume;
import io.goncloud.core.storage.StorageStateServiceImpl;
import io.goncloud.core.storage.VolumeServiceImpl;
import io.goncloud.driver.docker.DockerComputeDriver;
import io.goncloud.driver.storagefile.FileStorageDriver;
import io.goncloud.driver.storagefile.testing.ScratchPools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Volumes on a real worker ({@link InstanceWorld}: running Docker instances of the platform's busybox image) with the
 * storage agent and the file driver on a loop-mounted btrfs: what a tenant asks of the volume service reaches the
 * containers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageScenarioTest {

    private InstanceWorld world;
    private ScratchPools scratch;
    private Path pool;
    private VolumeServiceImpl volumes;
    private StorageAgent agent;

    @BeforeAll
    void buildWorld() throws Exception {
        // What InstanceWorld would skip on is a failure here: this test must run where it is built.
        assertEquals("0", Namespaces.exec("id", "-u").output().strip(), "instances need root");
        var probe = DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, "").probe();
        assertTrue(probe.usable(), "needs a running dockerd: " + probe.detail());
        assertTrue(java.nio.file.Files.isExecutable(io.goncloud.core.images.BusyboxRootfs.DEFAULT_BUSYBOX),
                "needs busybox-static for the image");
        world = new InstanceWorld(3600);
        ScratchPools.removeLeftovers();
        scratch = new ScratchPools();
        pool = scratch.btrfs("pool", 4096).resolve("volumes");
        volumes = new VolumeServiceImpl(world.db);
        agent = new StorageAgent(new StorageStateServiceImpl(world.db), config());
        agent.addStorageDriver(new FileStorageDriver(pool, "default", false, 1.0));
        agent.addComputeDriver(world.docker);
        assertTrue(agent.pass(), "the storage driver is usable");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (world != null) {
            world.close(); // the containers go, and with them their mounts
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    @Test
    void aVolumeMovesBetweenRunningContainersWithItsDataAndItsSnapshotKeepsAnEarlierState() {
        Subnet subnet = world.subnet("10.93.0.0/16");
        Instance first = world.launchRunning(subnet, "writer", null);
        Instance second = world.launchRunning(subnet, "reader", null);
        Volume volume = volumes.create(world.alice, new CreateVolume("data", 1, null, null));
        agent.pass();
        assertEquals("available", volumes.get(world.alice, volume.id()).state());

        volumes.attach(world.alice, volume.id(), new AttachVolume(first.id(), "/data"));
        agent.pass();
        assertEquals("attached", volumes.get(world.alice, volume.id()).attachment().state());
        assertEquals("", exec(first, "echo written-in-writer > /data/note && sync"));
        String snapshotId = volumes.createSnapshot(world.alice, new CreateSnapshot(volume.id(), "in use")).id();
        agent.pass();
        assertEquals("completed", volumes.getSnapshot(world.alice, snapshotId).state());
        exec(first, "echo changed-later > /data/note && sync");

        volumes.detach(world.alice, volume.id());
        agent.pass();
        Volume detached = volumes.get(world.alice, volume.id());
        assertEquals("available", detached.state());
        assertNull(detached.attachment());
        assertFalse(exec(first, "ls /data").contains("note"), "gone from the writer");

        volumes.attach(world.alice, volume.id(), new AttachVolume(second.id(), "/srv/shared"));
        agent.pass();
        assertEquals("changed-later", exec(second, "cat /srv/shared/note"));

        Volume restored = volumes.create(world.alice, new CreateVolume("restored", null, snapshotId, null));
        agent.pass();
        volumes.attach(world.alice, restored.id(), new AttachVolume(second.id(), "/srv/restored"));
        agent.pass();
        assertEquals("written-in-writer", exec(second, "cat /srv/restored/note"),
                "the snapshot holds the data as it was when taken");
    }

    private static String exec(Instance instance, String command) {
        Namespaces.Result result = Namespaces.exec("docker", "exec", DockerComputeDriver.CONTAINER_PREFIX + instance.id(),
                "sh", "-c", command);
        return result.output().strip();
    }

    private static StorageAgent.Config config() {
        return new StorageAgent.Config() {
            @Override
            public String host_id() {
                return "scenario-host"; // the worker's, as InstanceWorld configures it
            }

            @Override
            public String storage_driver() {
                return "";
            }

            @Override
            public long storage_resync_seconds() {
                return 30;
            }

            @Override
            public boolean storage_enabled() {
                return false; // passes are run by the test
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageAgent.Config.class;
            }
        };
    }
}
