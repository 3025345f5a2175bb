package io.goncloud.driver.ovs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The shared namespace lab ({@link NetnsLab}) with a fake worker host that has an Open vSwitch of its own
 * ({@link OvsDaemons}). Its names ({@code gcpto<pid>-...}, ids with {@code -0f5e-}) differ from the
 * Linux-bridge driver's tests' ({@code gcpt<pid>-}, ids with {@code -7e57-}), so that each cleans up only its own.
 */
final class Lab extends NetnsLab {

    static final LabNames NAMES = new LabNames("gcpto", "0f5e");

    Lab() {
        super(NAMES);
    }

    /**
     * Deletes what interrupted runs left: Open vSwitch daemons, test namespaces and routers of test VPCs
     * whose JVM is gone.
     */
    static void removeLeftovers() {
        OvsDaemons.removeLeftovers();
        NAMES.removeLeftovers();
    }

    /** A fake worker host: a namespace with its own ovsdb-server and ovs-vswitchd (running in it). */
    OvsDaemons host() {
        String host = namespace("host");
        OvsDaemons daemons = OvsDaemons.start(host);
        stopAtClose(daemons::stop);
        return daemons;
    }

    /** Like {@link #internet}, plugged into {@code bridge}, an OVS bridge of the host's Open vSwitch. */
    String internetOnOvs(OvsDaemons ovs, String bridge, String addressWithPrefix) {
        String internet = namespace("inet");
        String host = ovs.host;
        sh("ip", "-n", host, "link", "add", "inet" + tag, "type", "veth", "peer", "name", "wan0", "netns", internet);
        sh("ip", "-n", host, "link", "set", "inet" + tag, "up");
        ovs.vsctl("add-port", bridge, "inet" + tag);
        sh("ip", "-n", internet, "addr", "add", addressWithPrefix, "dev", "wan0");
        sh("ip", "-n", internet, "link", "set", "wan0", "up");
        return internet;
    }

    /**
     * Sends {@code file} over one TCP connection from {@code from} to a sink in {@code to} listening at
     * {@code address:port}, checks that every byte arrived within {@code deadline}, and returns how long it took.
     */
    Duration transfer(String from, String to, String address, int port, Path file, Duration deadline)
            throws Exception {
        Process sink = start(to, "sh", "-c", "socat -u TCP-LISTEN:" + port + ",reuseaddr STDOUT | wc -c");
        awaitListening(to, port);
        long size = Files.size(file);
        long started = System.nanoTime();
        Process source = start(from, "socat", "-u", "OPEN:" + file, "TCP:" + address + ":" + port + ",connect-timeout=2");
        boolean sent = source.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!sent) {
            fail("sending " + size + " bytes over TCP to " + address + " did not finish in " + deadline
                    + " (a TCP stall: is userspace TSO on?)");
        }
        assertEquals(0, source.exitValue(), "the sender's exit status");
        assertTrue(sink.waitFor(5, TimeUnit.SECONDS), "the sink ends with the connection");
        String received = new String(sink.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(String.valueOf(size), received, "bytes received");
        return took;
    }
}
