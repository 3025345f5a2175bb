package io.goncloud.driver.sample.process;

import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.compute.InstanceSpec.ImageRef;
import io.goncloud.driver.compute.common.HostCommands;
import io.goncloud.driver.compute.common.testing.ComputeDriverConformance;
import io.goncloud.driver.compute.common.testing.ComputeDriverFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample driver passes the compute driver conformance kit: its "image" is a shell script that says it booted,
 * says goodbye on SIGTERM, and otherwise waits.
 */
class ProcessConformanceTest extends ComputeDriverConformance {

    ProcessConformanceTest() {
        super("gcpks", new Processes());
    }

    private static final class Processes implements ComputeDriverFactory {

        private static final String PROGRAM = """
                #!/bin/sh
                echo "gcp-boot $(hostname)"
                trap 'echo gcp-term; exit 0' TERM
                sleep 100000 & wait
                """;

        private final Path work;
        private final Path stateDir;
        private final Path program;

        Processes() {
            try {
                work = Files.createTempDirectory("gcpks-");
                stateDir = Files.createDirectory(work.resolve("instances"));
                program = Files.writeString(work.resolve("program.sh"), PROGRAM);
                Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ComputeDriver open(String networkNamespace) {
            return new ProcessComputeDriver(networkNamespace, stateDir);
        }

        @Override
        public ImageRef bootableImage() {
            return new ImageRef("img-sleeper", ProcessComputeDriver.IMAGE_FORMAT, program.toString());
        }

        @Override
        public ImageRef missingImage() {
            return new ImageRef("img-missing", ProcessComputeDriver.IMAGE_FORMAT, work.resolve("no-such-program").toString());
        }

        /** The instance's directory, and any process started for it. */
        @Override
        public List<String> traces(String instanceId) {
            List<String> traces = new ArrayList<>();
            Path dir = stateDir.resolve(instanceId);
            if (Files.exists(dir)) {
                traces.add("directory " + dir);
            }
            ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(List::of)
                            .map(arguments -> arguments.contains(dir.toString())).orElse(false))
                    .forEach(p -> traces.add("process " + p.pid()));
            return traces;
        }

        @Override
        public void killOutsideThePlatform(String instanceId) {
            try {
                String pid = Files.readString(stateDir.resolve(instanceId).resolve("pid")).strip();
                HostCommands.check("kill the instance", List.of("kill", "-KILL", "--", "-" + pid));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void cleanUp() {
            HostCommands.run(List.of("rm", "-rf", work.toString()));
        }
    }
}
