package io.goncloud.driver.libvirt;

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
 * Connects a virtual machine's NICs to the veth devices the network driver prepared ("hybrid" plug, as
 * OpenStack does it): per NIC {@code i} a small Linux bridge {@code gcpv<id><i>} in this process's network
 * namespace (where libvirt and QEMU run; no address, STP off, forward delay 0) holds the veth's instance
 * end (NicSpec.hostDevice, moved out of the host network namespace if the drivers are confined to one,
 * keeping its name), and libvirt adds the VM's tap {@code gcpw<id><i>} to it. The network driver, its
 * security groups and ACLs stay exactly as for containers: the VM's frames enter the subnet through the
 * same veth pair. {@link #detach} undoes it all from the names alone: the veth goes back where it came
 * from, the bridge is deleted.
 */
final class NicPlumber {

    private static final Logger LOG = LoggerFactory.getLogger(NicPlumber.class);

    static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");
    static final Pattern NETNS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    /** At most 16 NICs: the NIC index is one hex digit of the device names. */
    static final int MAX_NICS = 16;
    /** "12: gcpi0123456789a@if13: <...> ... master gcpv..." */
    private static final Pattern LINK = Pattern.compile("^\\d+:\\s+([^:@\\s]+)[@:]");

    private final String hostNetns;

    NicPlumber(String hostNetns) {
        this.hostNetns = hostNetns == null ? "" : hostNetns.trim();
        if (!this.hostNetns.isEmpty() && !NETNS.matcher(this.hostNetns).matches()) {
            throw new IllegalArgumentException("not a network namespace name: " + hostNetns);
        }
    }

    String hostNetnsDescription() {
        return hostNetns.isEmpty() ? "the platform's network namespace" : "network namespace " + hostNetns;
    }

    /** The per-NIC bridge: {@code gcpv} + 10 characters of the instance + the NIC index in hex (15 characters). */
    static String bridge(String deviceId, int index) {
        return "gcpv" + deviceId + Integer.toHexString(index);
    }

    /** The VM's tap device, made by libvirt on {@link #bridge}. */
    static String tap(String deviceId, int index) {
        return "gcpw" + deviceId + Integer.toHexString(index);
    }

    static void validate(int index, NicSpec nic) {
        String what = "NIC " + index;
        if (nic == null) {
            throw new DriverException(what + " is missing (null)");
        }
        if (nic.hostDevice() == null || !DEVICE.matcher(nic.hostDevice()).matches()) {
            throw new DriverException(what + ": host device '" + nic.hostDevice() + "' is not a Linux interface name");
        }
        if (nic.hostDevice().startsWith("gcpv") || nic.hostDevice().startsWith("gcpw")) {
            throw new DriverException(what + ": host device '" + nic.hostDevice() + "' has a name this driver "
                    + "uses for its own bridges and taps");
        }
        if (nic.macAddress() == null || !MAC.matcher(nic.macAddress()).matches()
                || (Integer.parseInt(nic.macAddress().substring(0, 2), 16) & 1) != 0) {
            throw new DriverException(what + ": '" + nic.macAddress() + "' is not a unicast MAC address");
        }
    }

    /** Creates the bridges and enslaves the veth devices; idempotent. */
    void attach(String instanceId, String deviceId, List<NicSpec> nics) {
        for (int i = 0; i < nics.size(); i++) {
            attach(instanceId, deviceId, i, nics.get(i));
        }
    }

    private void attach(String instanceId, String deviceId, int index, NicSpec nic) {
        String bridge = bridge(deviceId, index);
        String device = nic.hostDevice();
        String what = "instance " + instanceId + ", NIC " + index + " (" + device + " on bridge " + bridge + ")";
        if (!here("link", "show", "dev", bridge).ok()) {
            HostCommands.Result add = here("link", "add", "name", bridge, "type", "bridge", "stp_state", "0",
                    "forward_delay", "0");
            if (!add.ok() && !here("link", "show", "dev", bridge).ok()) {
                throw new DriverException("cannot create bridge " + bridge + " for " + what + ": " + add.describe());
            }
            // No IPv6 link-local address or router solicitations of its own: the bridge only forwards.
            here("link", "set", "dev", bridge, "addrgenmode", "none");
        }
        HostCommands.check("cannot bring up bridge " + bridge + " for " + what, ip("link", "set", "dev", bridge, "up"));
        if (!here("link", "show", "dev", device).ok()) {
            if (hostNetns.isEmpty() || !HostCommands.run(inHostNetns("link", "show", "dev", device)).ok()) {
                throw new DriverException(what + ": network device " + device + " does not exist in "
                        + hostNetnsDescription() + "; the network driver must create it (re-apply the host "
                        + "network) before the instance can start");
            }
            HostCommands.check("cannot move " + device + " out of " + hostNetnsDescription() + " for " + what,
                    inHostNetns("link", "set", "dev", device, "netns", Long.toString(ProcessHandle.current().pid())));
        }
        // The network driver gives the veth the instance's MAC (a container's interface is that veth). Here the
        // guest's NIC has it: a bridge drops frames whose source is one of its own ports' addresses ("received
        // packet with own address as source address"), so the VM would not even get DHCP. The veth only forwards.
        String bridgeSide = bridgeSideMac(nic.macAddress());
        if (!bridgeSide.equalsIgnoreCase(macOf(device))) {
            HostCommands.check("cannot change the MAC address of " + what,
                    ip("link", "set", "dev", device, "address", bridgeSide));
        }
        HostCommands.check("cannot attach " + what, ip("link", "set", "dev", device, "master", bridge));
        HostCommands.check("cannot bring up " + what, ip("link", "set", "dev", device, "up"));
        LOG.debug("Attached {}", what);
    }

    /**
     * The MAC address of the veth on the NIC's bridge: the guest's, with another locally administered first octet
     * (not libvirt's tap prefix fe, not the guest's own).
     */
    static String bridgeSideMac(String guestMac) {
        String first = guestMac.substring(0, 2).toLowerCase(java.util.Locale.ROOT);
        return (first.equals("0e") ? "0a" : "0e") + guestMac.substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static String macOf(String device) {
        HostCommands.Result r = here("-o", "link", "show", "dev", device);
        Matcher m = Pattern.compile("link/ether ([0-9a-fA-F:]{17})").matcher(r.ok() ? r.output() : "");
        return m.find() ? m.group(1) : "";
    }

    /**
     * Removes the bridges of the instance's NICs (all of {@code gcpv<id>*}), handing each veth device on them
     * back to the host network namespace. Idempotent; best effort per device, failures are returned.
     */
    List<String> detach(String instanceId, String deviceId) {
        List<String> problems = new ArrayList<>();
        for (String bridge : linksStartingWith("gcpv" + deviceId, "type", "bridge")) {
            for (String member : members(bridge)) {
                if (member.startsWith("gcpw")) {
                    continue; // a tap: libvirt deletes it with QEMU
                }
                here("link", "set", "dev", member, "nomaster");
                here("link", "set", "dev", member, "down");
                if (!hostNetns.isEmpty()) {
                    HostCommands.Result back = here("link", "set", "dev", member, "netns", hostNetns);
                    if (!back.ok()) {
                        problems.add("cannot hand " + member + " back to " + hostNetnsDescription() + ": "
                                + back.describe());
                    }
                }
            }
            HostCommands.Result del = here("link", "delete", "dev", bridge);
            if (!del.ok() && here("link", "show", "dev", bridge).ok()) {
                problems.add("cannot delete bridge " + bridge + ": " + del.describe());
            }
        }
        // A tap left by a QEMU that died without libvirt noticing.
        for (String tap : linksStartingWith("gcpw" + deviceId)) {
            here("link", "delete", "dev", tap);
        }
        if (!problems.isEmpty()) {
            LOG.warn("Instance {}: {}", instanceId, problems);
        }
        return problems;
    }

    /** Whether any device of the instance (bridge or tap) is left in this namespace. */
    boolean anyLeft(String deviceId) {
        return !linksStartingWith("gcpv" + deviceId).isEmpty() || !linksStartingWith("gcpw" + deviceId).isEmpty();
    }

    private List<String> members(String bridge) {
        List<String> names = new ArrayList<>();
        HostCommands.Result r = here("-o", "link", "show", "master", bridge);
        if (r.ok()) {
            for (String line : r.output().split("\n")) {
                Matcher m = LINK.matcher(line.trim());
                if (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static List<String> linksStartingWith(String prefix, String... filter) {
        List<String> argv = new ArrayList<>(List.of("ip", "-o", "link", "show"));
        argv.addAll(List.of(filter));
        List<String> names = new ArrayList<>();
        HostCommands.Result r = HostCommands.run(argv);
        if (r.ok()) {
            for (String line : r.output().split("\n")) {
                Matcher m = LINK.matcher(line.trim());
                if (m.find() && m.group(1).startsWith(prefix)) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** Checks the host namespace (for probe): null if usable, else the problem. */
    String checkHostNamespace() {
        if (hostNetns.isEmpty()) {
            return null;
        }
        HostCommands.Result r = HostCommands.run(inHostNetns("link", "show", "dev", "lo"));
        return r.ok() ? null : hostNetnsDescription() + " is not usable: " + r.describe();
    }

    private static HostCommands.Result here(String... args) {
        return HostCommands.run(ip(args));
    }

    private static List<String> ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        return argv;
    }

    private List<String> inHostNetns(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", hostNetns));
        argv.addAll(List.of(args));
        return argv;
    }
}
