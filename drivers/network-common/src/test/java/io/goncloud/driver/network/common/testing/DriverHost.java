package io.goncloud.driver.network.common.testing;

import static io.goncloud.driver.network.common.testing.NetnsLab.sh;

import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.NetworkDriver;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A fake worker host (a network namespace) managed by the network driver under test, with what the shared
 * scenarios must know of the driver's kind of switch. The defaults are the kernel's: Linux bridges, a port as
 * a veth pair, no state beyond the kernel's links. A driver with a switch of its own (Open vSwitch) overrides
 * them.
 */
public class DriverHost {

    private static final Pattern MASTER = Pattern.compile(" master (\\S+) ");

    private final String namespace;
    private final NetworkDriver driver;
    private final String dhcpStateDir;

    public DriverHost(String namespace, NetworkDriver driver, String dhcpStateDir) {
        this.namespace = namespace;
        this.driver = driver;
        this.dhcpStateDir = dhcpStateDir;
    }

    /** The host's network namespace. */
    public String namespace() {
        return namespace;
    }

    public NetworkDriver driver() {
        return driver;
    }

    /** The driver's DHCP state directory. */
    public String dhcpStateDir() {
        return dhcpStateDir;
    }

    /** Makes a bridge of the driver's kind, as a stale one of the driver's or an operator's would be. */
    public void addBridge(String name) {
        sh("ip", "-n", namespace, "link", "add", name, "type", "bridge");
    }

    /** Plugs a host device into a bridge of the driver's kind. */
    public void plug(String bridge, String device) {
        sh("ip", "-n", namespace, "link", "set", device, "master", bridge);
    }

    /** Deletes a bridge behind the driver's back. */
    public void deleteBridge(String name) {
        sh("ip", "-n", namespace, "link", "del", name);
    }

    /** The bridges of the driver's kind on the host. */
    public Set<String> bridges() {
        return NetnsLab.run("ip", "-n", namespace, "-o", "link", "show", "type", "bridge").lines()
                .map(line -> line.split(": ")[1].replaceAll("@.*", "")).collect(Collectors.toSet());
    }

    /** The bridge a host device is plugged into, or null (also when there is no such device). */
    public String bridgeOf(String device) {
        Matcher master = MASTER.matcher(NetnsLab.run("ip", "-n", namespace, "-o", "link", "show", "dev", device));
        return master.find() ? master.group(1) : null;
    }

    /** The host devices the driver makes for a port: its side of the pair, and whatever plugs that in. */
    public List<String> portDevices(String portId) {
        return List.of(HostNames.portDevice(portId));
    }

    /** What the switch holds beyond the kernel's links, for snapshots that must reveal any recreation. */
    public String switchState() {
        return "";
    }
}
