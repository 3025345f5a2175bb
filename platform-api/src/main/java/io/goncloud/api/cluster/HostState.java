package io.goncloud.api.cluster;

import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.HostNetwork;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The whole desired network state of one host, as the controller sends it to a worker that has no database: what
 * {@link io.goncloud.api.service.NetworkStateService} answers for that host. Level-triggered: each snapshot replaces
 * the previous one entirely.
 *
 * @param version  a digest of {@code network} and {@code firewall}: equal versions mean equal states, whichever
 *                 controller process computed them, so a repeated snapshot changes nothing
 * @param computedAt when the controller read it from the database (informational)
 */
public record HostState(String hostId, String version, HostNetwork network, FirewallPolicy firewall,
                        Instant computedAt) {

    public HostState {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(firewall, "firewall");
    }

    /** A snapshot with its version computed from its content. */
    public static HostState of(String hostId, HostNetwork network, FirewallPolicy firewall, Instant computedAt) {
        return new HostState(hostId, versionOf(network, firewall), network, firewall, computedAt);
    }

    /**
     * SHA-256 of the records' text forms, which name every component and enum constant: stable across processes
     * (a hash code is not: enums hash by identity).
     */
    public static String versionOf(HostNetwork network, FirewallPolicy firewall) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(network.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(firewall.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
