package io.goncloud.driver.nftables;

import io.goncloud.api.spi.DriverException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The match part of an nftables rule for one security-group rule or ACL entry. Ports are inclusive
 * destination ports for tcp/udp; for icmp {@code fromPort} is the ICMP type and {@code toPort} the code,
 * -1 meaning any (as in the platform's model).
 */
final class Match {

    private Match() {
    }

    /**
     * @param peerField   {@code ip saddr} when the peer is the source, {@code ip daddr} when the destination
     * @param ipv4        what matches any IPv4 packet in the table's family
     * @return the match, or empty when the rule can match nothing (no CIDR at all)
     */
    static Optional<String> of(String protocol, int fromPort, int toPort, String peerField, List<String> cidrs,
                               String ipv4) {
        List<String> blocks = Ipv4.withoutCovered(cidrs);
        if (blocks.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (blocks.stream().noneMatch(Ipv4::isAnywhere)) {
            // An anonymous set: one lookup however many blocks the rule names.
            parts.add(peerField + " " + (blocks.size() == 1 ? blocks.get(0) : "{ " + String.join(", ", blocks) + " }"));
        }
        String protocolMatch = protocol(protocol, fromPort, toPort);
        if (!protocolMatch.isEmpty()) {
            parts.add(protocolMatch);
        }
        return Optional.of(parts.isEmpty() ? ipv4 : String.join(" ", parts));
    }

    private static String protocol(String protocol, int fromPort, int toPort) {
        switch (protocol == null ? "" : protocol) {
            case "all":
                return "";
            case "tcp":
            case "udp":
                if (fromPort < 0 || toPort > 65535 || fromPort > toPort) {
                    throw new DriverException("invalid " + protocol + " port range " + fromPort + "-" + toPort);
                }
                if (fromPort == 0 && toPort == 65535) {
                    return "ip protocol " + protocol;
                }
                return protocol + " dport " + (fromPort == toPort ? fromPort : fromPort + "-" + toPort);
            case "icmp":
                if (fromPort > 255 || toPort > 255) {
                    throw new DriverException("invalid ICMP type/code " + fromPort + "/" + toPort);
                }
                return "ip protocol icmp" + (fromPort >= 0 ? " icmp type " + fromPort : "")
                        + (fromPort >= 0 && toPort >= 0 ? " icmp code " + toPort : "");
            default:
                throw new DriverException("unknown protocol '" + protocol + "' (tcp, udp, icmp or all)");
        }
    }
}
