package io.goncloud.rest.internal;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that closes its connection while the answer is written (a browser leaving a page, an event stream
 * closed) is not an internal error: the mapper tells it from one, so that the log does not cry wolf.
 */
class ErrorMapperTest {

    @Test
    void aClosedConnectionIsTheClientGoingAway() {
        assertTrue(ErrorMapper.clientWentAway(new EOFException()), "Jetty's EofException is an EOFException");
        assertTrue(ErrorMapper.clientWentAway(new RuntimeException(new IOException("Broken pipe"))));
        assertTrue(ErrorMapper.clientWentAway(new UncheckedIOException(new IOException("Connection reset by peer"))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(ErrorMapper.clientWentAway(new IllegalStateException("a bug")));
        assertFalse(ErrorMapper.clientWentAway(new IOException("No space left on device")));
        assertFalse(ErrorMapper.clientWentAway(new RuntimeException("wrapped", new NullPointerException())));
    }
}
