package io.goncloud.driver.nftables;

import io.goncloud.api.spi.DriverException;
import java.util.ArrayList;
import java.util.List;

/** IPv4 CIDR blocks as nftables wants them: network-aligned and without overlaps. */
final class Ipv4 {

    private Ipv4() {
    }

    /** The block with its host bits cleared; a bare address is a /32. */
    static String network(String cidr) {
        if (cidr == null) {
            throw new DriverException("missing CIDR block");
        }
        String value = cidr.strip();
        int slash = value.indexOf('/');
        int length;
        try {
            length = slash < 0 ? 32 : Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new DriverException("not an IPv4 CIDR block: " + cidr);
        }
        if (length < 0 || length > 32) {
            throw new DriverException("not an IPv4 CIDR block: " + cidr);
        }
        long address = address(slash < 0 ? value : value.substring(0, slash), cidr) & mask(length);
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "."
                + (address & 255) + "/" + length;
    }

    /** The blocks not already covered by another one of the list, normalised, in their first order. */
    static List<String> withoutCovered(List<String> cidrs) {
        List<String> blocks = cidrs.stream().map(Ipv4::network).distinct().toList();
        List<String> kept = new ArrayList<>();
        for (String block : blocks) {
            if (blocks.stream().noneMatch(other -> !other.equals(block) && covers(other, block))) {
                kept.add(block);
            }
        }
        return kept;
    }

    static boolean isAnywhere(String cidr) {
        return network(cidr).endsWith("/0");
    }

    private static boolean covers(String outer, String inner) {
        int outerLength = length(outer);
        return outerLength <= length(inner)
                && (address(inner, inner) & mask(outerLength)) == address(outer, outer);
    }

    private static int length(String block) {
        return Integer.parseInt(block.substring(block.indexOf('/') + 1));
    }

    private static long address(String text, String original) {
        String ip = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            throw new DriverException("not an IPv4 address: " + original);
        }
        long value = 0;
        for (String part : parts) {
            try {
                int octet = Integer.parseInt(part);
                if (octet < 0 || octet > 255) {
                    throw new DriverException("not an IPv4 address: " + original);
                }
                value = value << 8 | octet;
            } catch (NumberFormatException e) {
                throw new DriverException("not an IPv4 address: " + original);
            }
        }
        return value;
    }

    private static long mask(int length) {
        return length == 0 ? 0 : 0xFFFFFFFFL << (32 - length) & 0xFFFFFFFFL;
    }
}
