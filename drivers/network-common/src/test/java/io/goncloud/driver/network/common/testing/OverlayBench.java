package io.goncloud.driver.network.common.testing;

import static io.goncloud.driver.network.common.testing.NetnsLab.sh;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Overlay;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cross-host TCP throughput (iperf3) between two instances on two simulated hosts through a driver's overlay,
 * beside a raw VXLAN link between two namespaces on the same underlay, in the same run. A driver's bench
 * extends it with its names, a {@link NetworkDriverFactory} and the path its packets take; no Surefire name
 * pattern matches a bench, so it runs only when named: {@code scripts/bench-network.sh --only overlay}. Figures
 * as Markdown to the file {@code bench.out} (standard output without it).
 *
 * @param <H> the driver's host
 */
public abstract class OverlayBench<H extends DriverHost> extends NetworkDriverSuite<H, OverlayLab> {

    private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    protected OverlayBench(LabNames names, NetworkDriverFactory<H> factory) {
        super(names, factory);
    }

    @Override
    protected OverlayLab newLab() {
        return new OverlayLab(names);
    }

    /** The way the driver's packets take, for the table. */
    protected abstract String overlayPath();

    @Test
    void overlayThroughput() throws IOException {
        int reps = Integer.getInteger("bench.reps", 5);
        int seconds = Integer.getInteger("bench.seconds", 5);
        List<Double> raw = new ArrayList<>();
        List<Double> overlay = new ArrayList<>();
        // Raw: a VXLAN device in each of two underlay hosts, addressed directly, at the segment MTU.
        String rawA = lab.host("10.251.0.1");
        String rawB = lab.host("10.251.0.2");
        rawVxlan(rawA, "10.251.0.1", "10.251.0.2", "10.99.0.1/24");
        rawVxlan(rawB, "10.251.0.2", "10.251.0.1", "10.99.0.2/24");
        // The driver: one subnet spanning two hosts, an instance on each, the router on host A.
        String hostA = lab.host("10.251.0.3");
        String hostB = lab.host("10.251.0.4");
        String vpc = lab.vpcId();
        String subnet = names.id();
        Port a1 = new Port(names.id(), names.id(), null, "10.98.1.10");
        Port b1 = new Port(names.id(), names.id(), null, "10.98.1.11");
        apply(factory.manage(lab, hostA, lab.dhcpStateDir(hostA)), "10.251.0.3", "10.251.0.4", vpc, subnet, true, a1);
        apply(factory.manage(lab, hostB, lab.dhcpStateDir(hostB)), "10.251.0.4", "10.251.0.3", vpc, subnet, false, b1);
        String iA = lab.instance(hostA, HostNames.instanceSide(a1.portId()), "10.98.1.10/24", "10.98.1.1");
        String iB = lab.instance(hostB, HostNames.instanceSide(b1.portId()), "10.98.1.11/24", "10.98.1.1");
        assertTrue(NetnsLab.ping(iB, "10.98.1.10") && NetnsLab.ping(rawB, "10.99.0.1"));
        lab.daemon(rawA, "iperf3", "-s");
        lab.daemon(iA, "iperf3", "-s");
        lab.awaitIperf(rawA);
        lab.awaitIperf(iA);
        for (int i = 0; i < reps; i++) { // interleaved, so that a busy moment of the machine hits both
            raw.add(gbits(rawB, "10.99.0.1", seconds));
            overlay.add(gbits(iB, "10.98.1.10", seconds));
        }
        String table = "| path (MTU 1450, underlay 1500) | Gbit/s median | min | max |\n|---|---|---|---|\n"
                + row("raw VXLAN link between two namespaces", raw)
                + row(overlayPath(), overlay)
                + "\n" + reps + " runs of iperf3 -t " + seconds + " (one TCP stream) each, interleaved.\n";
        String out = System.getProperty("bench.out");
        if (out == null || out.isBlank()) {
            System.out.print(table);
        } else {
            Files.writeString(Path.of(out), table);
        }
    }

    private static void rawVxlan(String host, String local, String remote, String address) {
        sh("ip", "-n", host, "link", "add", "vx0", "mtu", "1450", "type", "vxlan", "id", "99", "local", local,
                "remote", remote, "dstport", "4789");
        sh("ip", "-n", host, "addr", "add", address, "dev", "vx0");
        sh("ip", "-n", host, "link", "set", "vx0", "up");
    }

    private static void apply(DriverHost host, String local, String peer, String vpc, String subnet,
                              boolean routerHere, Port port) {
        host.driver().apply(new HostNetwork(null, List.of(
                new VpcNetwork(vpc, "10.98.0.0/16", List.of(new SubnetNetwork(subnet, "10.98.1.0/24", "10.98.1.1",
                        List.of(port), 9801, List.of(peer))), List.of(), null, List.of(), routerHere)),
                new Overlay(local, OverlayLab.UNDERLAY_MTU)));
    }

    private static double gbits(String from, String server, int seconds) {
        String json = sh("ip", "netns", "exec", from, "iperf3", "-J", "-c", server, "-t", String.valueOf(seconds));
        Matcher received = RECEIVED.matcher(json);
        assertTrue(received.find(), json);
        return Double.parseDouble(received.group(1)) / 1e9;
    }

    private static String row(String path, List<Double> gbits) {
        List<Double> sorted = gbits.stream().sorted().toList();
        return String.format("| %s | %.1f | %.1f | %.1f |%n", path, sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
