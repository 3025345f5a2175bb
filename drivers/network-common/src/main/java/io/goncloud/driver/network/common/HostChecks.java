package io.goncloud.driver.network.common;

import io.goncloud.api.spi.DriverException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The checks of the host that every network driver's probe makes; each throws what an operator can act on. */
public final class HostChecks {

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
        String scratch = "gcpprobe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        try {
            Netns.add(scratch);
            Netns.named(scratch).batch(List.of("link add gcpbprobe type bridge", "link set gcpbprobe up"));
        } catch (DriverException e) {
            throw new DriverException("cannot create network namespaces and bridges: " + e.getMessage(), e);
        } finally {
            Exec.run(List.of("ip", "netns", "delete", scratch), null);
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
