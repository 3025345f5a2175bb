package io.goncloud.driver.compute.common.testing;

import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.driver.compute.common.HostCommands;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace standing in for the network driver, for compute driver tests: a bridge carrying a subnet's
 * gateway address and, per port, a veth pair whose instance end ({@code <prefix>i<n>}) is the NIC's host device
 * the compute driver takes; its port end ({@code <prefix>p<n>}) stays on the bridge. The subnet is a random
 * {@code 10.a.b.0/24} that exists only inside the namespace.
 */
public final class NetworkSide {

    private final String prefix;
    private final String namespace;
    private final String bridge;
    private final String subnetPrefix = "10." + ThreadLocalRandom.current().nextInt(1, 255) + "."
            + ThreadLocalRandom.current().nextInt(0, 256) + ".";

    /**
     * @param prefix    the start of every device name (at most 8 characters, starting with {@code gcp})
     * @param namespace the namespace's name
     */
    public NetworkSide(String prefix, String namespace) {
        this.prefix = prefix;
        this.namespace = namespace;
        this.bridge = prefix + "br0";
    }

    public String namespace() {
        return namespace;
    }

    /** The subnet's gateway, on the bridge. */
    public String gateway() {
        return subnetPrefix + "1";
    }

    /** Port {@code n}'s address in the subnet. */
    public String address(int n) {
        return subnetPrefix + (10 + n);
    }

    public static String mac(int n) {
        return String.format("02:00:5e:00:00:%02x", n);
    }

    /** Port {@code n}'s instance end: the NIC's host device. */
    public String instanceSide(int n) {
        return prefix + "i" + n;
    }

    /** Port {@code n}'s end on the bridge. */
    public String portSide(int n) {
        return prefix + "p" + n;
    }

    /** A NIC on port {@code n} (made as the network driver would, if it is not there yet). */
    public NicSpec nic(int n) {
        return new NicSpec(mac(n), address(n), 24, gateway(), ensurePort(n));
    }

    /** Makes the namespace with its bridge and the gateway address. */
    public void create() {
        check("ip", "netns", "add", namespace);
        check("ip", "-n", namespace, "link", "set", "lo", "up");
        check("ip", "-n", namespace, "link", "add", bridge, "type", "bridge");
        // A MAC of its own: a bridge otherwise takes its lowest port's, which changes as the tests' ports come and
        // go, and every change flushes the gateway's neighbour entries (tests that watch them would see them vanish).
        check("ip", "-n", namespace, "link", "set", bridge, "address", "02:00:5e:00:01:01");
        check("ip", "-n", namespace, "addr", "add", gateway() + "/24", "dev", bridge);
        check("ip", "-n", namespace, "link", "set", bridge, "up");
    }

    /**
     * What the network driver's (level-triggered) apply does for one port: the veth pair exists, its port end on
     * the bridge and up, its instance end left for the compute driver. Returns the instance end.
     */
    public String ensurePort(int n) {
        String instanceSide = instanceSide(n);
        String portSide = portSide(n);
        if (!(has(instanceSide) && has(portSide))) {
            run("ip", "-n", namespace, "link", "delete", portSide);
            run("ip", "-n", namespace, "link", "delete", instanceSide);
            check("ip", "-n", namespace, "link", "add", instanceSide, "type", "veth", "peer", "name", portSide);
        }
        check("ip", "-n", namespace, "link", "set", portSide, "master", bridge);
        check("ip", "-n", namespace, "link", "set", portSide, "up");
        return instanceSide;
    }

    /** Whether {@code device} is in the namespace. */
    public boolean has(String device) {
        return run("ip", "-n", namespace, "link", "show", "dev", device).ok();
    }

    /** Whether {@code address} answers ICMP from the gateway within {@code seconds} (ARP, an instance's first moments). */
    public boolean pingable(String address, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            if (run("ip", "netns", "exec", namespace, "ping", "-n", "-c", "1", "-W", "1", address).ok()) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Deletes the namespace, its bridge and the ports still in it. */
    public void remove() {
        run("ip", "netns", "delete", namespace);
    }

    private static HostCommands.Result run(String... argv) {
        return HostCommands.run(List.of(argv));
    }

    private static void check(String... argv) {
        HostCommands.check("set up the test network", List.of(argv));
    }
}
