package io.goncloud.driver.network.common;

import io.goncloud.api.spi.DriverException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.ThreadLocalRandom;

/** The checks of the host that every network driver's probe makes; each throws what an operator can act on. */
public final class HostChecks {

    private static final Logger LOG = LoggerFactory.getLogger(HostChecks.class);

    private static final String PROBE_PREFIX = "gcpprobe-";
    private static final Pattern PROBE_NAME = Pattern.compile(PROBE_PREFIX + "(\\d{1,10})-[0-9a-f]+");
    private static final Duration STALE_PROBE = Duration.ofMinutes(1);

    private HostChecks() {
    }

    /** iproute2's version line. */
    public static String iproute2() {
        try {
            return Exec.run(List.of("ip", "-V"), null).stdout().strip();
        } catch (DriverException e) {
            throw new DriverException("iproute2 is missing: " + e.getMessage(), e);
        }
    }

    /** Makes a throwaway namespace with a bridge in it, so that the check touches nothing that exists. */
    public static void namespacesAndBridges() {
        String scratch = probeNamespace();
        try {
            Netns.add(scratch);
            Netns.named(scratch).batch(List.of("link add gcpbprobe type bridge", "link set gcpbprobe up"));
        } catch (DriverException e) {
            throw new DriverException("cannot create network namespaces and bridges: " + e.getMessage(), e);
        } finally {
            Exec.run(List.of("ip", "netns", "delete", scratch), null);
        }
    }

    /**
     * A name for a probe's throwaway namespace, {@code gcpprobe-<pid>-<random>}, after deleting those that
     * interrupted probes left behind.
     */
    public static String probeNamespace() {
        sweepStaleProbes();
        return PROBE_PREFIX + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    /**
     * Deletes probe namespaces whose process is gone or that are older than a minute (a probe takes well
     * under a second; older names carry no pid). A failed delete is logged, never fatal to the probe.
     */
    static void sweepStaleProbes() {
        Set<String> namespaces;
        try {
            namespaces = Netns.list();
        } catch (DriverException e) {
            return; // the probe itself reports what is wrong with ip
        }
        for (String name : namespaces) {
            if (name.startsWith(PROBE_PREFIX) && stale(name)) {
                Exec.Result deleted = Exec.run(List.of("ip", "netns", "delete", name), null);
                if (deleted.ok()) {
                    LOG.info("deleted {}, left behind by an interrupted probe", name);
                } else {
                    LOG.warn("cannot delete {}, left behind by an interrupted probe: {}", name, deleted.stderr().strip());
                }
            }
        }
    }

    private static boolean stale(String name) {
        Matcher ours = PROBE_NAME.matcher(name);
        if (ours.matches() && ProcessHandle.of(Long.parseLong(ours.group(1))).isEmpty()) {
            return true;
        }
        try {
            // The namespace file's time is the namespace's creation.
            return Files.getLastModifiedTime(Path.of("/run/netns", name)).toInstant()
                    .isBefore(Instant.now().minus(STALE_PROBE));
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    /** The configured host namespace exists (a null name, the process's own, always does). */
    public static void hostNamespace(Netns host) {
        if (host.name() != null && !Netns.list().contains(host.name())) {
            throw new DriverException("the configured host namespace " + host.name() + " does not exist");
        }
    }

    /** nftables' version line. */
    public static String nftables() {
        try {
            return Exec.run(List.of("nft", "-v"), null).orThrow().strip();
        } catch (DriverException e) {
            throw new DriverException("nftables (nft) is missing: no NAT for internet gateways and public addresses",
                    e);
        }
    }
}
