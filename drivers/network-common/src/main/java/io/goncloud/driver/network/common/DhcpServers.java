package io.goncloud.driver.network.common;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Port;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCP for instances: one dnsmasq per subnet, started inside the VPC's router namespace and bound to the
 * subnet's router leg, answering only with static leases (each port's MAC to its address, the subnet's
 * gateway as router, one hour). No DNS ({@code --port=0}), no dynamic pool, no lease database. Every
 * subnet has its server, even before its first port: instances come and go faster than dnsmasq starts.
 *
 * <p>Level-triggered like the rest of a pass. The running servers are found in {@code /proc} by their
 * {@code --pid-file} under the state directory ({@code <stateDir>/<vpc>/<subnet>/}), so a restarted
 * driver finds them again. A server whose command line or namespace is not the desired one is replaced;
 * a changed port list only rewrites the hosts file and sends SIGHUP; servers of subnets no longer desired
 * are stopped and their directories removed. Nothing happens when nothing changed.
 */
public final class DhcpServers {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpServers.class);

    public static final String DEFAULT_STATE_DIR = "/run/gcp/dhcp";

    /** The lease time handed out: long enough to ride out an agent restart, short enough to follow a change. */
    static final String LEASE_TIME = "1h";

    private static final Pattern MAC_ADDRESS = Pattern.compile("(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /** One subnet's server as it should run. */
    record Server(String namespace, Path dir, List<String> args, String hosts) {
    }

    /** A running server of ours: its pid and its command line after {@code dnsmasq}. */
    record Running(long pid, List<String> args) {
    }

    private final Path stateDir;
    private boolean warnedMissing;

    public DhcpServers(String stateDir) {
        Path dir = Path.of(stateDir == null || stateDir.isBlank() ? DEFAULT_STATE_DIR : stateDir.strip());
        if (!dir.isAbsolute()) {
            throw new DriverException("the DHCP state directory must be an absolute path: " + stateDir);
        }
        this.stateDir = dir.normalize();
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Brings the DHCP servers to {@code network}'s subnets and ports; call once the routers are configured. */
    public void converge(HostNetwork network) {
        Map<Path, Server> desired;
        try {
            desired = desired(network);
        } catch (IllegalArgumentException e) {
            throw new DriverException("invalid network state for DHCP: " + e.getMessage(), e);
        }
        Map<Path, Running> running = running();
        running.forEach((dir, server) -> {
            Server wanted = desired.get(dir);
            if (wanted == null || !wanted.args().equals(server.args()) || !inNamespace(server.pid(), wanted.namespace())) {
                LOG.info("stopping the DHCP server of {}: {}", stateDir.relativize(dir),
                        wanted == null ? "its subnet is gone" : "its configuration or router changed");
                stop(server.pid());
            }
        });
        removeOrphanDirectories(desired);
        desired.values().forEach(server -> {
            Running current = running.get(server.dir());
            HostsChange change = write(server.dir(), server.hosts());
            if (current != null && ProcessHandle.of(current.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                if (change == HostsChange.ADDED) {
                    // dnsmasq rereads --dhcp-hostsfile on SIGHUP: no restart for a new instance.
                    Exec.run(List.of("kill", "-HUP", String.valueOf(current.pid())), null).orThrow();
                    return;
                }
                if (change == HostsChange.UNCHANGED) {
                    return;
                }
                // A lease gone: dnsmasq keeps leases in memory for their whole lifetime and would refuse the
                // address to its next owner ("leased to" the previous MAC). Only a restart forgets them.
                LOG.info("restarting the DHCP server of {}: a port left", stateDir.relativize(server.dir()));
                stop(current.pid());
            }
            if (!dnsmasqInstalled()) {
                return;
            }
            LOG.info("starting the DHCP server of {} in {}", stateDir.relativize(server.dir()), server.namespace());
            Netns.named(server.namespace()).exec(command(server), null).orThrow();
        });
    }

    private Map<Path, Server> desired(HostNetwork network) {
        Map<Path, Server> servers = new LinkedHashMap<>();
        for (VpcNetwork vpc : network.vpcs()) {
            if (!vpc.routerHere()) {
                continue; // the network host serves this VPC's instances, through the tunnels
            }
            for (SubnetNetwork subnet : vpc.subnets()) {
                Path dir = stateDir.resolve(vpc.vpcId()).resolve(subnet.subnetId());
                String cidr = Ipv4.network(subnet.cidr());
                String gateway = Ipv4.format(Ipv4.address(subnet.gateway()));
                List<String> args = new ArrayList<>(List.of("--conf-file=/dev/null", "--port=0", "--no-resolv", "--no-hosts",
                        "--interface=" + HostNames.routerLeg(subnet.subnetId()), "--except-interface=lo",
                        // Follows the leg if it is recreated; with one interface, dnsmasq binds its DHCP socket to
                        // it, so several servers share a router namespace.
                        "--bind-dynamic",
                        "--dhcp-range=" + cidr.substring(0, cidr.indexOf('/')) + ",static,"
                                + netmask(Ipv4.prefixLength(cidr)) + "," + LEASE_TIME,
                        "--dhcp-option=option:router," + gateway, "--dhcp-authoritative", "--leasefile-ro",
                        "--quiet-dhcp", // routine lease traffic would grow the log without bound
                        "--dhcp-hostsfile=" + dir.resolve("hosts"), "--pid-file=" + dir.resolve("pid"),
                        "--log-facility=" + dir.resolve("log")));
                if (network.overlay() != null) {
                    // Segments are narrower than Ethernet by the tunnel's header; sent to every client (forced), as
                    // guests that do not ask for it would otherwise send full-size frames the segment drops.
                    args.add("--dhcp-option-force=option:mtu," + network.overlay().segmentMtu());
                }
                StringBuilder hosts = new StringBuilder();
                // Instances on other hosts ask through the tunnels: the router's host answers them all.
                for (Port port : concat(subnet.ports(), subnet.remotePorts())) {
                    hostLine(port, cidr).ifPresent(hosts::append);
                }
                // A server even with nobody to answer yet: stopping it with a subnet's last instance and starting it
                // with the next cost each of those launches and terminations seconds.
                servers.put(dir, new Server(HostNames.routerNamespace(vpc.vpcId()), dir, args, hosts.toString()));
            }
        }
        return servers;
    }

    private static List<Port> concat(List<Port> local, List<Port> remote) {
        List<Port> all = new ArrayList<>(local);
        all.addAll(remote);
        return all;
    }

    private static Optional<String> hostLine(Port port, String cidr) {
        if (port.macAddress() == null || port.ipAddress() == null) {
            return Optional.empty(); // the kernel's MAC, or no address yet: nothing to promise
        }
        if (!MAC_ADDRESS.matcher(port.macAddress()).matches()) {
            throw new DriverException("invalid MAC address of port " + port.portId() + ": " + port.macAddress());
        }
        String address = Ipv4.format(Ipv4.address(port.ipAddress()));
        if (!Ipv4.contains(cidr, address)) {
            LOG.warn("port {}: address {} is outside its subnet {}; no DHCP lease", port.portId(), address, cidr);
            return Optional.empty();
        }
        return Optional.of(port.macAddress().toLowerCase(Locale.ROOT) + "," + address + "\n");
    }

    private static String netmask(int prefix) {
        return Ipv4.format(prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL);
    }

    private static List<String> command(Server server) {
        List<String> command = new ArrayList<>(List.of("dnsmasq"));
        command.addAll(server.args());
        return command;
    }

    /** Our dnsmasq processes, by their state directory (the parent of their {@code --pid-file}). */
    Map<Path, Running> running() {
        Map<Path, Running> servers = new HashMap<>();
        ProcessHandle.allProcesses().forEach(process -> {
            List<String> argv = cmdline(process.pid());
            if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().equals("dnsmasq")) {
                return;
            }
            argv.stream().filter(a -> a.startsWith("--pid-file=")).findFirst()
                    .map(a -> Path.of(a.substring("--pid-file=".length())).normalize())
                    .filter(pidFile -> pidFile.startsWith(stateDir) && stateDir.relativize(pidFile).getNameCount() == 3)
                    .ifPresent(pidFile -> servers.put(pidFile.getParent(),
                            new Running(process.pid(), argv.subList(1, argv.size()))));
        });
        return servers;
    }

    private static List<String> cmdline(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
        } catch (IOException e) {
            return List.of(); // gone meanwhile, or a kernel thread
        }
    }

    /** Whether the process runs in the named namespace (not in an older one of the same name). */
    private static boolean inNamespace(long pid, String namespace) {
        try {
            Object expected = Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino");
            String actual = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString(); // net:[ino]
            return actual.equals("net:[" + expected + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void stop(long pid) {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            try {
                process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("dnsmasq {} did not stop on SIGTERM: killing it", pid);
                process.destroyForcibly();
            }
        });
    }

    private enum HostsChange { UNCHANGED, ADDED, REMOVED }

    /** Writes {@code hosts} unless the file already holds it; says whether lines were only added. */
    private HostsChange write(Path dir, String hosts) {
        Path file = dir.resolve("hosts");
        try {
            String old = Files.isRegularFile(file) ? Files.readString(file) : null;
            if (hosts.equals(old)) {
                return HostsChange.UNCHANGED;
            }
            HostsChange change = old == null || hosts.lines().collect(java.util.stream.Collectors.toSet())
                    .containsAll(old.lines().toList()) ? HostsChange.ADDED : HostsChange.REMOVED;
            createReadable(dir);
            // dnsmasq drops root after start: what it rereads on SIGHUP must be world-readable.
            Path next = Files.writeString(dir.resolve("hosts.next"), hosts);
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return change;
        } catch (IOException e) {
            throw new DriverException("cannot write the DHCP hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    private void createReadable(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path d = dir; d != null && d.startsWith(stateDir); d = d.getParent()) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Deletes the directories of subnets (and VPCs) no longer desired; their servers are stopped by now. */
    private void removeOrphanDirectories(Map<Path, Server> desired) {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try (Stream<Path> vpcs = Files.list(stateDir)) {
            for (Path vpc : vpcs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> subnets = Files.list(vpc)) {
                    for (Path subnet : subnets.toList()) {
                        if (!desired.containsKey(subnet)) {
                            deleteTree(subnet);
                        }
                    }
                }
                if (desired.keySet().stream().noneMatch(d -> d.startsWith(vpc))) {
                    deleteTree(vpc);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean the DHCP state directory {}: {}", stateDir, e.getMessage());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(path);
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        }
    }

    private boolean dnsmasqInstalled() {
        try {
            Exec.run(List.of("dnsmasq", "--version"), null).orThrow();
            return true;
        } catch (DriverException e) {
            if (!warnedMissing) {
                LOG.warn("dnsmasq is missing (apt-get install dnsmasq-base): instances get no DHCP");
                warnedMissing = true;
            }
            return false;
        }
    }

    /** What a probe reports: dnsmasq's version, or that instances get no DHCP without it. */
    public static String describe() {
        try {
            return Exec.run(List.of("dnsmasq", "--version"), null).orThrow().lines().findFirst().orElse("").strip()
                    + " for DHCP";
        } catch (DriverException e) {
            return "no DHCP: dnsmasq is missing (apt-get install dnsmasq-base)";
        }
    }
}
