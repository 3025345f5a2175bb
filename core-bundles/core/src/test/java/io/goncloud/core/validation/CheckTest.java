package io.goncloud.core.validation;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.core.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckTest {

    private static GcpException failure(Executable call) {
        return assertThrows(GcpException.class, call);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void requiredTextMustBePresent(String value) {
        GcpException e = failure(() -> Check.requiredText(value, "name", 10));
        assertEquals("MissingParameter", e.code());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().contains("name"), e.getMessage());
    }

    @Test
    void requiredTextIsTrimmed() {
        assertEquals("prod vpc", Check.requiredText("  prod vpc \n", "name", 10));
    }

    @Test
    void lengthIsCountedAfterTrimming() {
        assertEquals("abc", Check.requiredText("   abc   ", "name", 3));
        GcpException e = failure(() -> Check.requiredText("abcd", "name", 3));
        assertEquals("InvalidParameterValue", e.code());
        assertTrue(e.getMessage().contains("name") && e.getMessage().contains("3"), e.getMessage());
        assertEquals("x".repeat(255), Check.requiredText("x".repeat(255), "name", 255));
        assertEquals("InvalidParameterValue", failure(() -> Check.optionalText("x".repeat(256), "d", 255)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\tb", "line\nbreak", "bell\u0007", "esc\u001b[31m", "del\u007f", "c1\u0085x"})
    void controlCharactersInsideTheTextAreRejected(String value) {
        GcpException e = failure(() -> Check.requiredText(value, "description", 255));
        assertEquals("InvalidParameterValue", e.code());
        assertTrue(e.getMessage().contains("control characters"), e.getMessage());
        assertEquals("InvalidParameterValue", failure(() -> Check.optionalText(value, "description", 255)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\udc00b", "end\ud83d", "\udc00\ud800"})
    void halvesOfSurrogatePairsAreRejected(String value) {
        GcpException e = failure(() -> Check.requiredText(value, "name", 255));
        assertEquals("InvalidParameterValue", e.code());
        assertEquals("name must be valid Unicode text", e.getMessage());
        assertEquals("rocket \ud83d\ude80", Check.requiredText("rocket \ud83d\ude80", "name", 255), "a whole pair is fine");
    }

    @Test
    void nonAsciiTextIsAccepted() {
        assertEquals("Straße – 東京 ✓", Check.requiredText("Straße – 東京 ✓", "name", 64));
    }

    @Test
    void optionalTextKeepsNullAndTrimsTheRest() {
        assertNull(Check.optionalText(null, "description", 10));
        assertEquals("hello", Check.optionalText(" hello ", "description", 10));
    }

    @Test
    void idAcceptsACanonicalUuid() {
        String id = UUID.randomUUID().toString();
        assertEquals(id, Check.id(id, ErrorCode.VPC_MALFORMED, "vpc_id"));
        assertEquals(id, Check.id("  " + id + " ", ErrorCode.VPC_MALFORMED, "vpc_id"));
    }

    @Test
    void upperCaseIdIsAcceptedAndReturnedInLowerCase() {
        String id = UUID.randomUUID().toString();
        assertEquals(id, Check.id(id.toUpperCase(), ErrorCode.SUBNET_MALFORMED, "subnet_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-id", "1-1-1-1-1", "0f8fad5bd9cb469fa16570867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}", "0f8fad5b-d9cb-469f-a165-70867728950e0",
            "0f8fad5b-d9cb-469f-a165-7086772895", "vpc-0f8fad5b"})
    void anythingElseIsMalformedWithTheCallersCode(String value) {
        GcpException vpc = failure(() -> Check.id(value, ErrorCode.VPC_MALFORMED, "vpc_id"));
        assertEquals("InvalidVpcID.Malformed", vpc.code());
        assertEquals(400, vpc.httpStatus());
        assertTrue(vpc.getMessage().contains(value), vpc.getMessage());
        assertEquals("InvalidSubnetID.Malformed",
                failure(() -> Check.id(value, ErrorCode.SUBNET_MALFORMED, "subnet_id")).code());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void aMissingIdIsAMissingParameter(String value) {
        GcpException e = failure(() -> Check.id(value, ErrorCode.VPC_MALFORMED, "vpc_id"));
        assertEquals("MissingParameter", e.code());
        assertTrue(e.getMessage().contains("vpc_id"), e.getMessage());
    }

    @Test
    void cidrReturnsTheParsedBlock() {
        assertEquals(Cidr.parse("10.0.0.0/16"), Check.cidr(" 10.0.0.0/16 ", "cidr_block"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "10.0.0.0/33", "10.0.0.1/16", "10.0.0.0", "fd00::/8"})
    void aBadCidrIsAnInvalidParameterValueNamingParameterAndValue(String value) {
        GcpException e = failure(() -> Check.cidr(value, "cidr_block"));
        assertEquals("InvalidParameterValue", e.code());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().contains("cidr_block") && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void aCidrWithHostBitsSuggestsTheNetworkForm() {
        assertTrue(failure(() -> Check.cidr("10.0.0.1/16", "cidr_block")).getMessage().contains("10.0.0.0/16"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" \t "})
    void aMissingCidrIsAMissingParameter(String value) {
        GcpException e = failure(() -> Check.cidr(value, "cidr_block"));
        assertEquals("MissingParameter", e.code());
        assertTrue(e.getMessage().contains("cidr_block"), e.getMessage());
    }
}
