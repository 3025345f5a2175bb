package io.goncloud.core.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.regex.Pattern;

/**
 * An IPv4 CIDR block such as {@code 10.0.0.0/16}, in its canonical form. The arithmetic comes from the
 * IPAddress library; this class adds the platform's rules about what a valid block is.
 */
public final class Cidr {

    /** Addresses every subnet keeps for itself: network, gateway, two reserved, broadcast (as in AWS). */
    public static final int RESERVED_PER_SUBNET = 5;

    /**
     * Plain dotted-quad with a prefix, nothing else: the library also reads hex, octal (leading zeros),
     * single integers and wildcards, and a user writing 10.010.0.0/16 must not silently get 10.8.0.0/16.
     */
    private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}/[0-9]{1,2}");

    private final IPAddress block;

    private Cidr(IPAddress block) {
        this.block = block;
    }

    /**
     * Parses a block given in its network form ({@code 10.0.0.0/16}, not {@code 10.0.0.1/16}).
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a CIDR block is required, e.g. 10.0.0.0/16");
        }
        String trimmed = text.trim();
        if (trimmed.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR block, e.g. 10.0.0.0/16");
        }
        if (!trimmed.contains("/")) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length, e.g. 10.0.0.0/16");
        }
        if (!DOTTED_QUAD.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a valid CIDR block: write a.b.c.d/n in decimal "
                    + "without leading zeros, e.g. 10.0.0.0/16");
        }
        IPAddress address;
        try {
            address = new IPAddressString(text.trim()).toAddress();
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid CIDR block, e.g. 10.0.0.0/16");
        }
        if (address == null || !address.isIPv4()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR block, e.g. 10.0.0.0/16");
        }
        if (address.getNetworkPrefixLength() == null || !text.contains("/")) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length, e.g. 10.0.0.0/16");
        }
        if (!address.isPrefixBlock()) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; the block is "
                    + address.toPrefixBlock().toCanonicalString());
        }
        return new Cidr(address);
    }

    public int prefixLength() {
        return block.getNetworkPrefixLength();
    }

    /** How many addresses the block holds. */
    public long size() {
        return 1L << (32 - prefixLength());
    }

    /** Addresses of a subnet of this size left for instances. */
    public long usableSubnetAddresses() {
        return Math.max(0, size() - RESERVED_PER_SUBNET);
    }

    public boolean contains(Cidr other) {
        return block.contains(other.block);
    }

    public boolean overlaps(Cidr other) {
        return block.contains(other.block) || other.block.contains(block);
    }

    /** The address {@code offset} places after the network address, e.g. offset 1 is the gateway. */
    public String addressAt(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return block.getLower().withoutPrefixLength().increment(offset).toCanonicalString();
    }

    /** The subnet's gateway: the first address after the network address. */
    public String gateway() {
        return addressAt(1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && block.equals(other.block);
    }

    @Override
    public int hashCode() {
        return block.hashCode();
    }

    @Override
    public String toString() {
        return block.toCanonicalString();
    }
}
