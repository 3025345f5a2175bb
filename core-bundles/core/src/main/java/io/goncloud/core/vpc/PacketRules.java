package io.goncloud.core.vpc;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;

import java.util.Set;

/**
 * Checks shared by security group rules and network ACL entries: direction, protocol and the port
 * conventions (as in EC2):
 * <ul>
 *   <li>{@code tcp}, {@code udp}: {@code from_port} and {@code to_port} are required, 0-65535, from &lt;= to;</li>
 *   <li>{@code icmp}: {@code from_port} is the ICMP type and {@code to_port} the ICMP code, each 0-255 or
 *       -1 for all; both default to -1, and a type of -1 needs a code of -1;</li>
 *   <li>{@code all}: ports do not apply; they may be omitted or given as 0-65535 or -1/-1, and are
 *       stored as 0-65535.</li>
 * </ul>
 */
final class PacketRules {

    static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "all");
    static final int ANY_ICMP = -1;
    static final int MAX_PORT = 65535;
    static final int MAX_ICMP = 255;

    private PacketRules() {
    }

    record Ports(int from, int to) {
    }

    static String direction(String value) {
        return oneOf(value, "direction", DIRECTIONS);
    }

    static String protocol(String value) {
        return oneOf(value, "protocol", PROTOCOLS);
    }

    static String oneOf(String value, String parameter, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter " + parameter);
        }
        if (!allowed.contains(value)) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Value (" + value + ") for parameter "
                    + parameter + " is invalid: expected one of " + allowed.stream().sorted().toList());
        }
        return value;
    }

    static Ports ports(String protocol, Integer from, Integer to) {
        return switch (protocol) {
            case "tcp", "udp" -> {
                if (from == null || to == null) {
                    throw new GcpException(ErrorCode.MISSING_PARAMETER,
                            "A " + protocol + " rule needs from_port and to_port (0-" + MAX_PORT + ")");
                }
                inRange(from, 0, MAX_PORT, "from_port");
                inRange(to, 0, MAX_PORT, "to_port");
                if (from > to) {
                    throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                            "from_port (" + from + ") must not be greater than to_port (" + to + ")");
                }
                yield new Ports(from, to);
            }
            case "icmp" -> {
                if (from == null && to != null) {
                    throw new GcpException(ErrorCode.MISSING_PARAMETER,
                            "An icmp rule with an ICMP code (to_port) needs its ICMP type (from_port)");
                }
                int type = from == null ? ANY_ICMP : from;
                int code = to == null ? ANY_ICMP : to;
                inRange(type, ANY_ICMP, MAX_ICMP, "from_port (the ICMP type, -1 for all)");
                inRange(code, ANY_ICMP, MAX_ICMP, "to_port (the ICMP code, -1 for all)");
                if (type == ANY_ICMP && code != ANY_ICMP) {
                    throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                            "An icmp rule for every ICMP type (from_port -1) must have to_port -1");
                }
                yield new Ports(type, code);
            }
            default -> {
                boolean omitted = from == null && to == null;
                boolean everyPort = from != null && to != null && (from == 0 && to == MAX_PORT || from == -1 && to == -1);
                if (!omitted && !everyPort) {
                    throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Ports do not apply to protocol all: "
                            + "omit from_port and to_port, or give 0 and " + MAX_PORT);
                }
                yield new Ports(0, MAX_PORT);
            }
        };
    }

    private static void inRange(int value, int min, int max, String parameter) {
        if (value < min || value > max) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    parameter + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
