package io.goncloud.core.persistence;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.PageRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagingTest {

    private static String base64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pageTokenRoundTrips() {
        Paging.Cursor cursor = new Paging.Cursor(
                OffsetDateTime.of(2025, 3, 14, 15, 9, 26, 535_897_000, ZoneOffset.UTC), UUID.randomUUID().toString());
        assertEquals(cursor, Paging.Cursor.decode(cursor.encode()));
    }

    @Test
    void roundTripKeepsTheInstantOfATimeInAnotherOffsetAndEveryMicrosecond() {
        OffsetDateTime local = OffsetDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.ofHours(-5));
        String id = UUID.randomUUID().toString();
        Paging.Cursor decoded = Paging.Cursor.decode(new Paging.Cursor(local, id).encode());
        assertEquals(local.toInstant(), decoded.createdAt().toInstant());
        assertEquals(id, decoded.id());
    }

    @Test
    void roundTripWorksBeforeTheEpoch() {
        Paging.Cursor cursor = new Paging.Cursor(
                OffsetDateTime.of(1969, 7, 20, 20, 17, 40, 123_000, ZoneOffset.UTC), UUID.randomUUID().toString());
        assertEquals(cursor, Paging.Cursor.decode(cursor.encode()));
    }

    @Test
    void tokensOfDifferentRowsDifferAndAreSafeInAUrl() {
        OffsetDateTime t = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        String a = new Paging.Cursor(t, UUID.randomUUID().toString()).encode();
        String b = new Paging.Cursor(t, UUID.randomUUID().toString()).encode();
        String c = new Paging.Cursor(t.plusNanos(1000), UUID.fromString("00000000-0000-0000-0000-000000000001").toString()).encode();
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        for (String token : new String[] {a, b, c}) {
            assertTrue(token.matches("[A-Za-z0-9_-]+"), "a page token must need no URL escaping: " + token);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", "!!!!", "a+b/c==", "%00"})
    void garbageTokenIsInvalidPaginationToken(String token) {
        GcpException e = assertThrows(GcpException.class, () -> Paging.Cursor.decode(token));
        assertEquals("InvalidPaginationToken", e.code());
        assertEquals(400, e.httpStatus());
    }

    @Test
    void wellEncodedTokensWithBadContentAreInvalidPaginationToken() {
        String id = UUID.randomUUID().toString();
        for (String raw : new String[] {"12345", "abc/" + id, "123/not-a-uuid", "/" + id, "123/", "1.5/" + id,
                "99999999999999999999/" + id, "123/" + id + "/x"}) {
            GcpException e = assertThrows(GcpException.class, () -> Paging.Cursor.decode(base64(raw)), raw);
            assertEquals("InvalidPaginationToken", e.code(), raw);
        }
    }

    @Test
    void limitDefaultsTo100AndMustBeBetween1And1000() {
        assertEquals(PageRequest.DEFAULT_LIMIT, Paging.validLimit(null));
        assertEquals(100, PageRequest.DEFAULT_LIMIT);
        assertEquals(1, Paging.validLimit(1));
        assertEquals(1000, Paging.validLimit(1000));
        for (int bad : new int[] {0, -1, 1001, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            GcpException e = assertThrows(GcpException.class, () -> Paging.validLimit(bad));
            assertEquals("InvalidParameterValue", e.code());
            assertTrue(e.getMessage().contains(Integer.toString(bad)), e.getMessage());
        }
    }

    @Test
    void aTokenForATimeNoDatabaseCanStoreIsInvalid() {
        for (long micros : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -62_200_000_000_000_000L}) {
            String raw = micros + "/" + UUID.randomUUID();
            String token = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            GcpException e = assertThrows(
                    GcpException.class, () -> Paging.Cursor.decode(token));
            assertEquals("InvalidPaginationToken", e.code());
        }
    }
}
