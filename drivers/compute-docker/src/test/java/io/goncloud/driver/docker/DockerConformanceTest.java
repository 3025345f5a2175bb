package io.goncloud.driver.docker;

import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.driver.compute.common.testing.ComputeDriverConformance;
import io.goncloud.driver.compute.common.testing.ComputeDriverFactory;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.goncloud.driver.docker.TestHost.check;
import static io.goncloud.driver.docker.TestHost.run;

/**
 * The compute driver conformance kit ({@link ComputeDriverConformance}) with this driver on the real Docker Engine
 * and the busybox test image, which prints {@code gcp-boot <hostname>} when it starts.
 */
class DockerConformanceTest extends ComputeDriverConformance {

    DockerConformanceTest() {
        super("gcpkd", new Docker());
    }

    private static final class Docker implements ComputeDriverFactory {

        private TestHost host;
        private Path stateDir;
        private String networkNamespace;

        @Override
        public void assumeUsable() {
            String reason = TestHost.unavailableReason();
            Assumptions.assumeTrue(reason == null, () -> "Docker conformance skipped: " + reason);
            host = new TestHost();
            host.removeStaleLeftovers();
            try {
                String imageReason = host.buildImages();
                Assumptions.assumeTrue(imageReason == null, () -> "Docker conformance skipped: " + imageReason);
                stateDir = Files.createTempDirectory("gcpkd-state");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ComputeDriver open(String networkNamespace) {
            this.networkNamespace = networkNamespace;
            return DockerComputeDriver.open(DockerComputeDriver.DEFAULT_DOCKER_HOST, networkNamespace, "",
                    stateDir.toString());
        }

        @Override
        public ImageRef bootableImage() {
            return new ImageRef("img-kit", DockerComputeDriver.IMAGE_FORMAT_DOCKER_ROOTFS, host.image);
        }

        @Override
        public ImageRef missingImage() {
            return new ImageRef("img-kit-missing", DockerComputeDriver.IMAGE_FORMAT_DOCKER_ROOTFS,
                    "gcp-test/busybox:gcpkd-not-imported-" + host.runId);
        }

        @Override
        public List<String> traces(String instanceId) {
            List<String> traces = new ArrayList<>();
            String container = DockerComputeDriver.containerName(instanceId);
            if (!run("docker", "ps", "-a", "-q", "--filter", "name=^/" + container + "$").output().isBlank()) {
                traces.add("container " + container);
            }
            Path files = stateDir.resolve(networkNamespace).resolve(instanceId);
            if (Files.exists(files)) {
                traces.add("files " + files);
            }
            return traces;
        }

        @Override
        public void killOutsideThePlatform(String instanceId) {
            check("docker kill", "docker", "kill", DockerComputeDriver.containerName(instanceId));
        }

        /** The run's label: {@link TestHost#removeAll} and later runs' sweeps find the containers by it. */
        @Override
        public Map<String, String> labels() {
            return Map.of(TestHost.RUN_LABEL, host.runId);
        }

        @Override
        public void cleanUp() {
            if (host != null) {
                host.removeAll();
            }
            if (stateDir != null) {
                InstanceFiles.remove(stateDir);
            }
        }
    }
}
