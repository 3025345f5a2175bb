package io.goncloud.driver.ovs;

import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The namespace lab of the OVS overlay tests, with names of its own ({@code gcpow<pid>-...}, ids
 * {@code ...-0a7f-4000-8000-<pid>}): simulated hosts on one underlay (a bridge in a namespace of its own, MTU
 * 1500), each a namespace with its underlay address and an Open vSwitch of its own ({@link OvsDaemons}).
 */
final class OvsOverlayLab extends NetnsLab {

    static final LabNames NAMES = new LabNames("gcpow", "0a7f");

    static final int UNDERLAY_MTU = 1500;

    private String underlay;
    private int hosts;

    OvsOverlayLab() {
        super(NAMES);
    }

    static void removeLeftovers() {
        OvsDaemons.removeLeftovers(NAMES);
        NAMES.removeLeftovers();
    }

    /** A new host on the underlay, holding {@code address}/24 on its interface {@code ul0}, running Open vSwitch. */
    OvsDaemons host(String address) {
        if (underlay == null) {
            underlay = namespace("ul");
            sh("ip", "-n", underlay, "link", "add", "br0", "mtu", String.valueOf(UNDERLAY_MTU), "type", "bridge");
            sh("ip", "-n", underlay, "link", "set", "br0", "up");
        }
        String host = namespace("h" + hosts);
        String port = "h" + hosts++;
        sh("ip", "-n", underlay, "link", "add", port, "mtu", String.valueOf(UNDERLAY_MTU), "type", "veth", "peer",
                "name", "ul0", "mtu", String.valueOf(UNDERLAY_MTU), "netns", host);
        sh("ip", "-n", underlay, "link", "set", port, "master", "br0", "up");
        sh("ip", "-n", host, "addr", "add", address + "/24", "dev", "ul0");
        sh("ip", "-n", host, "link", "set", "ul0", "up");
        OvsDaemons daemons = OvsDaemons.start(host);
        stopAtClose(daemons::stop);
        return daemons;
    }

    /** A DHCP state directory of one host's driver (each driver stops the servers of its directory it does not want). */
    String dhcpStateDir(String host) {
        Path dir = Path.of(dhcpStateDir(), host.substring(host.lastIndexOf('-') + 1));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.toString();
    }

    /** A ping of {@code size} payload bytes that must not be fragmented: whether it was answered. */
    static boolean pingUnfragmented(String from, String address, int size) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (exec(List.of("ip", "netns", "exec", from, "ping", "-n", "-q", "-c1", "-W1", "-M", "do",
                    "-s", String.valueOf(size), address)).ok()) {
                return true;
            }
        }
        return false;
    }

    /** Waits for iperf3's server (port 5201) in {@code namespace}. */
    void awaitIperf(String namespace) {
        awaitListening(namespace, 5201);
    }

    /** The peers a tunnel device floods to (its all-zero forwarding entries), sorted. */
    static List<String> floodPeers(String host, String device) {
        return run("bridge", "-n", host, "fdb", "show", "dev", device).lines()
                .filter(l -> l.startsWith("00:00:00:00:00:00 dst "))
                .map(l -> l.split("\\s+")[2]).sorted().toList();
    }

    /** Sends {@code bytes} over one TCP connection from {@code from} to {@code address:port} in {@code to}: what arrived. */
    long transfer(String from, String to, String address, int port, long bytes) throws Exception {
        Process sink = start(to, "sh", "-c", "socat -u TCP-LISTEN:" + port + ",reuseaddr STDOUT | wc -c");
        awaitListening(to, port);
        Result sent = exec(List.of("ip", "netns", "exec", from, "sh", "-c", "head -c " + bytes
                + " /dev/zero | timeout 20 socat -u STDIN TCP:" + address + ":" + port + ",connect-timeout=2"));
        if (!sent.ok()) {
            sink.destroy();
            return -1;
        }
        if (!sink.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            sink.destroy();
            return -1;
        }
        return Long.parseLong(new String(sink.getInputStream().readAllBytes()).strip());
    }
}
