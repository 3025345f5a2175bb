package io.goncloud.driver.compute.common;

import io.goncloud.api.spi.DriverException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCommandsTest {

    @Test
    void aCommandsOutputAndErrorsComeBackInterleavedWithItsExitCode() {
        HostCommands.Result result = HostCommands.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));

        assertEquals(3, result.exitCode());
        assertFalse(result.ok());
        assertTrue(result.output().contains("out") && result.output().contains("err"), result.output());
    }

    @Test
    void inputReachesTheCommand() {
        assertEquals("a\nb", HostCommands.run(List.of("cat"), "a\nb\n").output());
    }

    @Test
    void aFailedCheckSaysWhatWasDoneAndWhatTheCommandSaid() {
        DriverException e = assertThrows(DriverException.class,
                () -> HostCommands.check("attach NIC 0", List.of("sh", "-c", "echo no such device; exit 1")));

        assertEquals("attach NIC 0: 'sh -c echo no such device; exit 1' exited with 1: no such device", e.getMessage());
    }

    @Test
    void aMissingProgramIsNamed() {
        DriverException e = assertThrows(DriverException.class, () -> HostCommands.run(List.of("gcp-no-such-program")));

        assertTrue(e.getMessage().startsWith("cannot run 'gcp-no-such-program' on this host"), e.getMessage());
    }

    @Test
    void aHungCommandIsKilledAtItsDeadline() {
        long started = System.nanoTime();
        DriverException e = assertThrows(DriverException.class,
                () -> HostCommands.run(List.of("sleep", "30"), Duration.ofMillis(300)));

        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
    }
}
