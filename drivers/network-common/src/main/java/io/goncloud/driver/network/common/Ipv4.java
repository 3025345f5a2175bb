package io.goncloud.driver.network.common;

import io.goncloud.api.spi.DriverException;

/** IPv4 addresses and CIDR blocks as the kernel prints them. */
public final class Ipv4 {

    private Ipv4() {
    }

    public static int prefixLength(String cidr) {
        if (cidr == null) {
            throw new DriverException("missing CIDR block");
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return 32;
        }
        try {
            int length = Integer.parseInt(cidr.substring(slash + 1));
            if (length < 0 || length > 32) {
                throw new DriverException("not an IPv4 CIDR block: " + cidr);
            }
            return length;
        } catch (NumberFormatException e) {
            throw new DriverException("not an IPv4 CIDR block: " + cidr);
        }
    }

    public static long address(String cidrOrAddress) {
        if (cidrOrAddress == null) {
            throw new DriverException("missing IPv4 address");
        }
        int slash = cidrOrAddress.indexOf('/');
        String ip = slash < 0 ? cidrOrAddress : cidrOrAddress.substring(0, slash);
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            throw new DriverException("not an IPv4 address: " + cidrOrAddress);
        }
        long value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new DriverException("not an IPv4 address: " + cidrOrAddress);
            }
            if (octet < 0 || octet > 255) {
                throw new DriverException("not an IPv4 address: " + cidrOrAddress);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    /** The block in the kernel's spelling: network address, and "/32" for host routes. */
    public static String network(String cidr) {
        if ("default".equals(cidr)) {
            return "0.0.0.0/0";
        }
        int length = prefixLength(cidr);
        return format(address(cidr) & mask(length)) + "/" + length;
    }

    public static boolean contains(String cidr, String ip) {
        long mask = mask(prefixLength(cidr));
        return (address(cidr) & mask) == (address(ip) & mask);
    }

    /** {@code address} with the prefix length of {@code cidr}, e.g. a gateway as "10.0.1.1/24". */
    public static String withPrefixOf(String address, String cidr) {
        return format(address(address)) + "/" + prefixLength(cidr);
    }

    public static String format(long address) {
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    private static long mask(int length) {
        return length == 0 ? 0 : 0xFFFFFFFFL << (32 - length) & 0xFFFFFFFFL;
    }
}
