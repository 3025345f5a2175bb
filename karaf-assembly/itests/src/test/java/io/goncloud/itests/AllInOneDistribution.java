package io.goncloud.itests;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

/** The built all-in-one distribution as the Pax Exam tests boot it: ports of its own, plus each test's settings. */
final class AllInOneDistribution {

    /** System property (inside the container) with the HTTP port the API listens on. */
    static final String HTTP_PORT = "gcp.itest.http.port";

    private AllInOneDistribution() {
    }

    static Option[] options(Option... extra) {
        MavenArtifactUrlReference distribution = maven().groupId("io.goncloud").artifactId("gcp-all-in-one")
                .version(System.getProperty("gcp.version")).type("tar.gz");
        int httpPort = freePort();
        int brokerPort = freePort();
        List<Option> options = new ArrayList<>(List.of(
            karafDistributionConfiguration().frameworkUrl(distribution).name("gcp-all-in-one")
                    .unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevelOption.LogLevel.WARN),
            // Ports of its own, so that a platform running on this host does not interfere.
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort)),
            editConfigurationFilePut("etc/io.goncloud.broker.cfg", "acceptor.port", String.valueOf(brokerPort)),
            editConfigurationFilePut("etc/io.goncloud.messaging.cfg", "broker.url", "tcp://127.0.0.1:" + brokerPort),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
            systemProperty(HTTP_PORT).value(String.valueOf(httpPort))));
        options.addAll(List.of(extra));
        return options.toArray(Option[]::new);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
