package io.goncloud.core.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    private static String rejection(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)).getMessage();
    }

    @Test
    void parsesANetworkBlock() {
        Cidr cidr = Cidr.parse("10.0.0.0/16");
        assertEquals(16, cidr.prefixLength());
        assertEquals("10.0.0.0/16", cidr.toString());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(Cidr.parse("10.0.0.0/16"), Cidr.parse("  10.0.0.0/16\n"));
        assertEquals("192.168.4.0/22", Cidr.parse("\t192.168.4.0/22 ").toString());
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24", "192.168.1.16/28", "10.1.2.3/32"})
    void toStringIsTheCanonicalFormAndParsesBackToAnEqualBlock(String text) {
        Cidr cidr = Cidr.parse(text);
        assertEquals(text, cidr.toString());
        assertEquals(cidr, Cidr.parse(cidr.toString()));
        assertEquals(cidr.hashCode(), Cidr.parse(cidr.toString()).hashCode());
    }

    @Test
    void hostBitsSetAreRejectedNamingTheBlockMeant() {
        String message = rejection("10.0.0.1/16");
        assertTrue(message.contains("host bits"), message);
        assertTrue(message.contains("10.0.0.0/16"), "the message should suggest the network form: " + message);
        assertTrue(rejection("192.168.1.17/28").contains("192.168.1.16/28"));
    }

    @Test
    void aBlockNeedsAPrefixLength() {
        assertTrue(rejection("10.0.0.0").contains("no prefix length"));
        assertTrue(rejection("10.0.0.0/").contains("not a valid CIDR block"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fd00::/8", "2001:db8::/32", "::/0", "::ffff:10.0.0.0/104"})
    void ipv6IsRejected(String text) {
        assertTrue(rejection(text).contains("not an IPv4 CIDR block"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "10.0.0.0/33", "10.0.0.0/-1", "256.0.0.0/8", "10.0.0.0/16/16",
            "10.0.0.0 /16", "10.0.0.0-10.0.0.255", "10.0.0.0/abc"})
    void garbageIsRejectedWithTheInputInTheMessage(String text) {
        String message = rejection(text);
        assertTrue(message.contains(text), message);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void aMissingBlockIsRejected(String text) {
        assertTrue(rejection(text).contains("required"));
    }

    @Test
    void containsIsTrueForItselfAndSmallerBlocksInside() {
        Cidr vpc = Cidr.parse("10.0.0.0/16");
        assertTrue(vpc.contains(vpc));
        assertTrue(vpc.contains(Cidr.parse("10.0.1.0/24")));
        assertTrue(vpc.contains(Cidr.parse("10.0.255.240/28")));
        assertFalse(vpc.contains(Cidr.parse("10.1.0.0/24")));
        assertFalse(vpc.contains(Cidr.parse("10.0.0.0/15")), "a larger block is not inside a smaller one");
        assertFalse(Cidr.parse("10.0.1.0/24").contains(vpc));
    }

    @Test
    void overlapsIsSymmetricAndFalseForDisjointOrAdjacentBlocks() {
        Cidr a = Cidr.parse("10.0.0.0/20");
        Cidr inside = Cidr.parse("10.0.4.0/24");
        Cidr adjacent = Cidr.parse("10.0.16.0/20");
        Cidr far = Cidr.parse("192.168.0.0/16");
        assertTrue(a.overlaps(inside));
        assertTrue(inside.overlaps(a));
        assertTrue(a.overlaps(a));
        assertFalse(a.overlaps(adjacent));
        assertFalse(adjacent.overlaps(a));
        assertFalse(a.overlaps(far));
        assertFalse(far.overlaps(a));
        assertTrue(Cidr.parse("10.0.0.0/8").overlaps(Cidr.parse("10.255.255.255/32")));
    }

    @ParameterizedTest
    @CsvSource({"0, 4294967296", "8, 16777216", "16, 65536", "24, 256", "28, 16", "31, 2", "32, 1"})
    void sizeIsTwoToTheHostBits(int prefix, long size) {
        assertEquals(size, Cidr.parse("0.0.0.0/" + prefix).size());
    }

    @ParameterizedTest
    @CsvSource({"16, 65531", "20, 4091", "24, 251", "28, 11", "29, 3", "30, 0", "32, 0"})
    void fiveAddressesOfEverySubnetAreReserved(int prefix, long usable) {
        assertEquals(usable, Cidr.parse("10.0.0.0/" + prefix).usableSubnetAddresses());
    }

    @Test
    void addressAtCountsFromTheNetworkAddress() {
        Cidr subnet = Cidr.parse("10.3.2.0/24");
        assertEquals("10.3.2.0", subnet.addressAt(0));
        assertEquals("10.3.2.1", subnet.gateway());
        assertEquals("10.3.2.4", subnet.addressAt(4));
        assertEquals("10.3.2.255", subnet.addressAt(255));
        Cidr wide = Cidr.parse("10.0.0.0/16");
        assertEquals("10.0.1.0", wide.addressAt(256), "offsets carry into the next octet");
        assertEquals("10.0.255.255", wide.addressAt(65535));
        assertEquals("192.168.1.17", Cidr.parse("192.168.1.16/28").gateway());
    }

    @Test
    void addressAtRejectsOffsetsOutsideTheBlock() {
        Cidr subnet = Cidr.parse("10.3.2.0/28");
        assertThrows(IllegalArgumentException.class, () -> subnet.addressAt(16));
        assertThrows(IllegalArgumentException.class, () -> subnet.addressAt(-1));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/32").gateway());
        assertEquals("10.3.2.15", subnet.addressAt(15));
    }

    @Test
    void blocksAreEqualOnlyWhenTheyAreTheSameBlock() {
        assertEquals(Cidr.parse("10.0.0.0/16"), Cidr.parse("10.0.0.0/16"));
        assertNotEquals(Cidr.parse("10.0.0.0/16"), Cidr.parse("10.0.0.0/24"));
        assertNotEquals(Cidr.parse("10.0.0.0/24"), Cidr.parse("10.0.1.0/24"));
        assertNotEquals(Cidr.parse("10.0.0.0/24"), "10.0.0.0/24");
    }

    @ParameterizedTest
    @ValueSource(strings = {"010.000.000.000/16", "10.010.0.0/16", "0177.0.0.0/8", "0x0a.0.0.0/8", "167772160/8",
            "10.0.0.*/24"})
    void onlyPlainDecimalDottedQuadsAreAccepted(String text) {
        // The library would read 10.010.0.0/16 as 10.8.0.0/16; a user must never get a block they did not write.
        assertTrue(rejection(text).contains("not a valid CIDR block"), text);
    }
}
