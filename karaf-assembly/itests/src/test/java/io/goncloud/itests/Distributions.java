package io.goncloud.itests;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

/** The built controller and worker distributions as the Pax Exam tests boot them, and what they check on both. */
final class Distributions {

    private Distributions() {
    }

    /** The distribution artifact {@code artifactId} (tar.gz), with an SSH port of its own plus {@code extra}. */
    static Option[] options(String artifactId, Option... extra) {
        MavenArtifactUrlReference distribution = maven().groupId("io.goncloud").artifactId(artifactId)
                .version(System.getProperty("gcp.version")).type("tar.gz");
        List<Option> options = new ArrayList<>(List.of(
            karafDistributionConfiguration().frameworkUrl(distribution).name(artifactId)
                    .unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevelOption.LogLevel.WARN),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort()))));
        options.addAll(List.of(extra));
        return options.toArray(Option[]::new);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until every bundle but fragments is active: a boot that failed leaves some resolved or installed. */
    static void awaitAllActive(BundleContext context, Duration timeout) {
        boolean active = eventually(timeout, () -> inactive(context).isEmpty());
        if (!active) {
            throw new AssertionError("bundles not active after " + timeout + ": " + inactive(context));
        }
    }

    private static List<String> inactive(BundleContext context) {
        List<String> inactive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                inactive.add(bundle.getSymbolicName() + " (state " + bundle.getState() + ")");
            }
        }
        return inactive;
    }

    /** Fails if Karaf logged that its boot features did not install (bundles may still be active then). */
    static void assertBootFeaturesInstalled() {
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        try {
            String text = java.nio.file.Files.readString(log);
            if (text.contains("Error installing boot feature")) {
                throw new AssertionError("boot features failed, see " + log + ":\n" + text.lines()
                        .filter(l -> l.contains("ERROR")).collect(Collectors.joining("\n")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Symbolic names of the installed bundles that match any of the (lower-case) fragments. */
    static List<String> bundlesMatching(BundleContext context, List<String> fragments) {
        List<String> found = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String name = String.valueOf(bundle.getSymbolicName()).toLowerCase();
            if (fragments.stream().anyMatch(name::contains)) {
                found.add(bundle.getSymbolicName());
            }
        }
        return found.stream().sorted().collect(Collectors.toList());
    }

    /** Polls a condition the container reaches asynchronously (bundles starting, components activating). */
    static boolean eventually(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
