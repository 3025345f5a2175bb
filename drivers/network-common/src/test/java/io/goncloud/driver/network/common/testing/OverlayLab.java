package io.goncloud.driver.network.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The namespace lab of the overlay tests ({@link OverlayScenarios}, the overlay benches): several simulated
 * hosts on one underlay (a bridge in a namespace of its own, MTU 1500), each host a namespace with its
 * underlay address. Each suite gives it names of its own, so that they never meet another suite's.
 */
public class OverlayLab extends NetnsLab {

    public static final int UNDERLAY_MTU = 1500;

    private String underlay;
    private int hosts;

    public OverlayLab(LabNames names) {
        super(names);
    }

    /** A new host on the underlay, holding {@code address}/24 on its interface {@code ul0}. */
    public String host(String address) {
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
        return host;
    }

    /** A DHCP state directory of one host's driver (each driver stops the servers of its directory it does not want). */
    public String dhcpStateDir(String host) {
        Path dir = Path.of(dhcpStateDir(), host.substring(host.lastIndexOf('-') + 1));
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.toString();
    }

    /**
     * Runs busybox udhcpc once on {@code device} of {@code namespace} and returns the interface MTU the server
     * sent (DHCP option 26), "none" when the answer had none, or null when nobody answered.
     */
    public String dhcpMtu(String namespace, String device) {
        Path script = Path.of(dhcpStateDir(), "udhcpc-mtu.sh");
        try {
            if (!Files.exists(script)) {
                Files.writeString(script, """
                        #!/bin/sh
                        [ "$1" = bound ] && echo "gcp-mtu ${mtu:-none}"
                        exit 0
                        """);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result result = exec(List.of("ip", "netns", "exec", namespace, "busybox", "udhcpc", "-i", device, "-n", "-q",
                "-f", "-t", "4", "-T", "1", "-s", script.toString()));
        return result.out().lines().filter(l -> l.startsWith("gcp-mtu ")).map(l -> l.substring(8).strip())
                .findFirst().orElse(null);
    }

    /** A ping of {@code size} payload bytes that must not be fragmented: whether it was answered. */
    public static boolean pingUnfragmented(String from, String address, int size) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (exec(List.of("ip", "netns", "exec", from, "ping", "-n", "-q", "-c1", "-W1", "-M", "do",
                    "-s", String.valueOf(size), address)).ok()) {
                return true;
            }
        }
        return false;
    }

    /** Waits for an iperf3 server (port 5201) in {@code namespace}. */
    public void awaitIperf(String namespace) {
        awaitListening(namespace, 5201);
    }

    /** The peers a tunnel device floods to (its all-zero forwarding entries), sorted. */
    public static List<String> floodPeers(String host, String device) {
        return run("bridge", "-n", host, "fdb", "show", "dev", device).lines()
                .filter(l -> l.startsWith("00:00:00:00:00:00 dst "))
                .map(l -> l.split("\\s+")[2]).sorted().toList();
    }
}
