package io.goncloud.driver.docker;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.compute.InstanceSpec.NicSpec;
import io.goncloud.driver.compute.common.HostCommands;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves the instance-side veth devices the network driver prepared into a running container's network
 * namespace and configures them, with {@code ip} and {@code nsenter} (the platform runs as root).
 *
 * <p>NIC {@code i} becomes {@code eth<i>} with the NIC's MAC and address; {@code eth0} carries the
 * default route via the subnet's gateway. The device's original name is kept as its interface alias
 * ({@code ip link set ... alias}), so that {@link #detach} can hand it back to the host namespace before
 * a graceful stop without any state of the driver's own: a veth moved back survives the stop, together
 * with its peer on the subnet's segment, and the next start re-attaches it.
 */
final class NicPlumber {

    private static final Logger LOG = LoggerFactory.getLogger(NicPlumber.class);

    /** Linux interface names: at most 15 characters, and never an option to {@code ip}. */
    static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");
    static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    static final Pattern NETNS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

    /** {@code ip -o link show} line: "7: eth0@if8: <...> ... alias gcpi0123456789a" */
    private static final Pattern LINK_ALIAS = Pattern.compile("^\\d+:\\s+([^:@\\s]+)[@:].*\\balias\\s+(\\S+)");

    private final String hostNetns;

    /** @param hostNetns named network namespace holding the devices, or empty for this process's own */
    NicPlumber(String hostNetns) {
        this.hostNetns = hostNetns == null ? "" : hostNetns.trim();
        if (!this.hostNetns.isEmpty() && !NETNS.matcher(this.hostNetns).matches()) {
            throw new IllegalArgumentException("not a network namespace name: " + hostNetns);
        }
    }

    String hostNetns() {
        return hostNetns;
    }

    /** Where the devices live, for messages. */
    String hostNetnsDescription() {
        return hostNetns.isEmpty() ? "the platform's network namespace" : "network namespace " + hostNetns;
    }

    /** Checks a NIC's fields before any of them reaches a command line. */
    static void validate(int index, NicSpec nic) {
        String what = "NIC " + index;
        if (nic == null) {
            throw new DriverException(what + " is missing (null)");
        }
        if (nic.hostDevice() == null || !DEVICE.matcher(nic.hostDevice()).matches()) {
            throw new DriverException(what + ": host device '" + nic.hostDevice() + "' is not a Linux interface name");
        }
        if (nic.macAddress() == null || !MAC.matcher(nic.macAddress()).matches()
                || (Integer.parseInt(nic.macAddress().substring(0, 2), 16) & 1) != 0) {
            throw new DriverException(what + ": '" + nic.macAddress() + "' is not a unicast MAC address");
        }
        boolean v4 = nic.ipAddress() != null && IPV4.matcher(nic.ipAddress()).matches();
        boolean v6 = !v4 && nic.ipAddress() != null && IPV6.matcher(nic.ipAddress()).matches();
        if (!v4 && !v6) {
            throw new DriverException(what + ": '" + nic.ipAddress() + "' is not an IP address");
        }
        if (nic.prefixLength() < 1 || nic.prefixLength() > (v4 ? 32 : 128)) {
            throw new DriverException(what + ": prefix length " + nic.prefixLength() + " is out of range");
        }
        if (nic.gateway() != null && !nic.gateway().isEmpty()
                && !(v4 ? IPV4 : IPV6).matcher(nic.gateway()).matches()) {
            throw new DriverException(what + ": gateway '" + nic.gateway() + "' is not an address of the same family");
        }
    }

    /**
     * Attaches every NIC to the container whose init process is {@code pid}. Idempotent: a NIC whose
     * {@code eth<i>} already carries its address is left alone.
     *
     * @throws DriverException naming the device and what failed, e.g. a device the network driver has
     *                         not (re-)created yet
     */
    void attach(String instanceId, long pid, List<NicSpec> nics) {
        for (int i = 0; i < nics.size(); i++) {
            attach(instanceId, pid, i, nics.get(i));
        }
    }

    /*
     * Few processes on purpose: each costs tens of milliseconds when spawned from a large JVM, and they add
     * up on every launch. Normally one: a shell that moves the device in (renaming it), configures it in one
     * batch and starts the announcer. Only when the move fails (attached before, or the device is missing) do
     * further looks find out why.
     */
    private void attach(String instanceId, long pid, int index, NicSpec nic) {
        String eth = "eth" + index;
        String host = nic.hostDevice();
        String what = "instance " + instanceId + ", NIC " + index + " (" + host + " -> " + eth + ")";
        String address = nic.ipAddress() + "/" + nic.prefixLength();

        String configure = configureBatch(nic, eth, index);
        String move = String.join(" ", onHost("link", "set", "dev", host, "netns", Long.toString(pid), "name", eth));
        HostCommands.Result done = HostCommands.run(List.of("sh", "-c", move + " || exit " + MOVE_FAILED + "; "
                + configureScript(pid, nic, eth)), configure);
        if (done.exitCode() == MOVE_FAILED) {
            String prefix = "";
            HostCommands.Result existing = HostCommands.run(inContainer(pid, "-o", "addr", "show", "dev", eth));
            if (existing.ok() && hasAddress(existing.output(), address)) {
                return; // attached before
            }
            if (!existing.ok()) {
                if (!HostCommands.run(inContainer(pid, "link", "show", "dev", host)).ok()) {
                    if (!HostCommands.run(onHost("link", "show", "dev", host)).ok()) {
                        throw new DriverException(what + ": network device " + host + " does not exist in "
                                + hostNetnsDescription() + "; the network driver must create it (re-apply the host "
                                + "network) before the instance can start");
                    }
                    throw new DriverException("cannot move " + host + " into the container of " + what + ": "
                            + done.describe());
                }
                // Moved in by an interrupted attach under its host name.
                prefix = "link set dev " + host + " down\nlink set dev " + host + " name " + eth + "\n";
            }
            // Moved in before but not (fully) configured: configured now.
            HostCommands.check("cannot configure " + what, List.of("sh", "-c", configureScript(pid, nic, eth)),
                    prefix + configure);
        } else if (!done.ok()) {
            throw new DriverException("cannot configure " + what + ": " + done.describe());
        }
        LOG.info("Attached {} with {} ({}) in container pid {}", what, address, nic.macAddress(), pid);
    }

    /** The exit status of the attach script when the device could not be moved into the container. */
    private static final int MOVE_FAILED = 42;

    /** The {@code ip -batch} lines that give the moved device its MAC, address, link and route. */
    private static String configureBatch(NicSpec nic, String eth, int index) {
        StringBuilder batch = new StringBuilder();
        batch.append("link set dev ").append(eth).append(" address ").append(nic.macAddress())
                .append(" alias ").append(nic.hostDevice()).append('\n');
        batch.append("addr replace ").append(nic.ipAddress()).append('/').append(nic.prefixLength())
                .append(" dev ").append(eth).append('\n');
        batch.append("link set dev ").append(eth).append(" up\n");
        batch.append("link set dev lo up\n");
        if (index == 0 && nic.gateway() != null && !nic.gateway().isEmpty()) {
            batch.append("route replace default via ").append(nic.gateway()).append(" dev ").append(eth).append('\n');
        }
        return batch.toString();
    }

    /**
     * Shell commands that run the batch on standard input inside the container's network namespace, then start
     * the announcer. Every value in them was validated ({@link #validate}, {@link #NETNS}, a numeric pid).
     */
    private static String configureScript(long pid, NicSpec nic, String eth) {
        // Then the NIC announces itself: three gratuitous ARPs, one a second, in the background. Without them a
        // router or instance that knew a previous owner of a reused address keeps sending to that owner's MAC
        // until its neighbour entry fails, tens of seconds. (The kernel's own announcement, arp_notify, goes
        // out as the link comes up, before the bridge port forwards, and is lost.) The announcer runs in the
        // container's PID namespace too, so that it dies with the container: a process of the host in the
        // container's network namespace would keep that namespace, its NIC and the host end of the veth pair
        // alive after the container, and the network driver would take the dead port for a live one.
        String target = Long.toString(pid);
        // (The outer nsenter, which stays outside the PID namespace to wait for its child, enters only that.)
        String announce = "command -v busybox >/dev/null && { nsenter -t " + target + " -p nsenter -t " + target
                + " -n busybox arping -q -U -c 3 -I " + eth + " " + nic.ipAddress() + " </dev/null >/dev/null 2>&1 & }";
        return "nsenter -t " + target + " -n ip -batch - || exit 1; " + (v4(nic) ? announce + "; " : "") + "exit 0";
    }

    /**
     * Hands the container's NICs back to the host namespace under their original names, before a
     * graceful stop destroys the container's network namespace (and with it the veth pair). Best effort:
     * a NIC that cannot be moved is left to die with the namespace; the network driver re-creates it.
     *
     * @return the devices handed back
     */
    List<String> detach(String instanceId, long pid) {
        List<String> moved = new ArrayList<>();
        HostCommands.Result links = HostCommands.run(inContainer(pid, "-o", "link", "show"));
        if (!links.ok()) {
            LOG.warn("Instance {}: cannot list the container's interfaces to hand them back: {}", instanceId,
                    links.describe());
            return moved;
        }
        for (String line : links.output().split("\n")) {
            Matcher m = LINK_ALIAS.matcher(line.trim());
            if (!m.find()) {
                continue;
            }
            String eth = m.group(1);
            String original = m.group(2);
            if (!original.startsWith("gcp") || !DEVICE.matcher(original).matches() || !DEVICE.matcher(eth).matches()) {
                continue;
            }
            String target = hostNetns.isEmpty() ? Long.toString(ProcessHandle.current().pid()) : hostNetns;
            List<List<String>> steps = new ArrayList<>();
            steps.add(inContainer(pid, "link", "set", "dev", eth, "down"));
            if (!eth.equals(original)) {
                steps.add(inContainer(pid, "link", "set", "dev", eth, "name", original));
            }
            steps.add(inContainer(pid, "link", "set", "dev", original, "netns", target));
            HostCommands.Result failed = null;
            for (List<String> step : steps) {
                HostCommands.Result r = HostCommands.run(step);
                if (!r.ok()) {
                    failed = r;
                    break;
                }
            }
            if (failed == null) {
                moved.add(original);
            } else {
                LOG.warn("Instance {}: cannot hand {} ({}) back to {}: {}", instanceId, eth, original,
                        hostNetnsDescription(), failed.describe());
            }
        }
        return moved;
    }

    private static boolean v4(NicSpec nic) {
        return IPV4.matcher(nic.ipAddress()).matches();
    }

    /** Whether {@code ip -o addr show} output lists the address (with its prefix length). */
    static boolean hasAddress(String ipAddrOutput, String address) {
        for (String token : ipAddrOutput.split("\\s+")) {
            if (token.equals(address)) {
                return true;
            }
        }
        return false;
    }

    private List<String> onHost(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        if (!hostNetns.isEmpty()) {
            argv.add("-n");
            argv.add(hostNetns);
        }
        argv.addAll(List.of(args));
        return argv;
    }

    private static List<String> inContainer(long pid, String... args) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-n", "ip"));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Checks that the host namespace exists (for probe). Returns null if fine, else the problem. */
    String checkHostNamespace() {
        HostCommands.Result r = HostCommands.run(onHost("link", "show", "dev", "lo"));
        return r.ok() ? null : hostNetnsDescription() + " is not usable: " + r.describe();
    }
}
