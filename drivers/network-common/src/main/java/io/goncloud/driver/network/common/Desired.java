package io.goncloud.driver.network.common;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.HostNetwork.Provider;
import io.goncloud.api.spi.network.HostNetwork.PublicIpMapping;
import io.goncloud.api.spi.network.HostNetwork.Route;
import io.goncloud.api.spi.network.HostNetwork.SubnetNetwork;
import io.goncloud.api.spi.network.HostNetwork.VpcNetwork;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the kernel should hold for a {@link HostNetwork}, spelled in interface names and ip commands. */
public final class Desired {

    private static final Logger LOG = LoggerFactory.getLogger(Desired.class);

    /** What Linux accepts as an interface name, and nothing that could end an ip command. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private static final String LEG_MAC_OCTET = "0a";
    private static final String UPLINK_MAC_OCTET = "0e";

    private static final Pattern MAC_ADDRESS = Pattern.compile("(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");

    /**
     * A port: {@code device} on {@code bridge}, its peer {@code instanceSide} for the compute driver.
     *
     * @param macAddress the instance side's address, or null for the kernel's choice
     */
    public record Port(String portId, String device, String instanceSide, String bridge, String macAddress) {
    }

    /**
     * A veth from a bridge of the host into a router namespace.
     *
     * @param routerSideMac the router side's MAC address, derived from the subnet's (or VPC's) id: a
     *                      recreated leg answers with the same address, so that the neighbour caches of
     *                      instances (and of the provider's gateway) stay right
     * @param mtu           both ends' MTU: the segment's for a router leg, 0 (the kernel's) for an uplink
     */
    public record RouterVeth(String hostSide, String bridge, String routerSide, String router, String routerSideMac,
                             int mtu) {

        /** The {@code ip link add} of the pair, its router side created in the router namespace. */
        public String add() {
            String withMtu = mtu > 0 ? " mtu " + mtu : "";
            return "link add " + hostSide + withMtu + " type veth peer name " + routerSide + withMtu
                    + " address " + routerSideMac + " netns " + router;
        }
    }

    /**
     * @param addresses      per router interface, its IPv4 addresses ({@code address/prefix})
     * @param noPrefixRoute  addresses added without a connected route (the uplink's: see {@link RouteSpec#add})
     * @param nat            null when the VPC has no internet access
     * @param neighbours     the instances' addresses on the router's legs, as permanent ARP entries: the router
     *                       never asks, so a reused address never reaches its previous owner's MAC
     */
    public record Router(String namespace, Map<String, Set<String>> addresses, Set<String> noPrefixRoute,
                  Set<RuleSpec> rules, Set<RouteSpec> routes, NatTable nat, Set<Neighbour> neighbours) {
    }

    /** A permanent ARP entry of a router: {@code address} is at {@code mac} on {@code device}. */
    public record Neighbour(String device, String address, String mac) {
    }

    private final String providerBridge;
    private final Set<String> bridges = new LinkedHashSet<>();
    private final List<Port> ports = new ArrayList<>();
    private final List<RouterVeth> routerVeths = new ArrayList<>();
    private final Map<String, Router> routers = new LinkedHashMap<>();
    private final List<Tunnel> tunnels = new ArrayList<>();
    private final HostNetwork.Overlay overlay;
    private final int segmentMtu;

    private Desired(String providerBridge, HostNetwork.Overlay overlay) {
        this.providerBridge = providerBridge;
        this.overlay = overlay;
        this.segmentMtu = overlay == null ? DEFAULT_MTU : overlay.segmentMtu();
    }

    /** Ethernet's MTU, what the kernel gives new devices: the segments' MTU on a host without an overlay. */
    public static final int DEFAULT_MTU = 1500;

    public static Desired of(HostNetwork network) {
        try {
            Provider provider = network.provider() == null ? null : validated(network.provider());
            boolean anyUplink = provider != null && network.vpcs().stream().anyMatch(VpcNetwork::internetAttached);
            Desired desired = new Desired(anyUplink ? provider.bridge() : null, validated(network.overlay()));
            for (VpcNetwork vpc : network.vpcs()) {
                desired.addVpc(vpc, provider);
            }
            return desired;
        } catch (IllegalArgumentException e) {
            throw new DriverException("invalid network state: " + e.getMessage(), e);
        }
    }

    /** The operator's provider network, its addresses respelled so that only what was parsed reaches ip. */
    private static Provider validated(Provider provider) {
        if (provider.bridge() == null || !INTERFACE_NAME.matcher(provider.bridge()).matches()) {
            throw new DriverException("invalid provider bridge name: " + provider.bridge());
        }
        return new Provider(provider.bridge(), Ipv4.network(provider.cidr()),
                Ipv4.format(Ipv4.address(provider.gateway())));
    }

    /** The overlay with its local address respelled, or null for a single host. */
    private static HostNetwork.Overlay validated(HostNetwork.Overlay overlay) {
        if (overlay == null) {
            return null;
        }
        if (overlay.segmentMtu() < 576) { // the least an IPv4 host must be able to take (RFC 791)
            throw new DriverException("overlay MTU too small: underlay " + overlay.underlayMtu());
        }
        return new HostNetwork.Overlay(Ipv4.format(Ipv4.address(overlay.localAddress())), overlay.underlayMtu());
    }

    /** The provider (outside) bridge the routers' uplinks plug into, or null when no VPC needs one. */
    public String providerBridge() {
        return providerBridge;
    }

    /** The subnet segments ({@link HostNames#subnetBridge}), in the order of the desired state. */
    public Set<String> bridges() {
        return Collections.unmodifiableSet(bridges);
    }

    public List<Port> ports() {
        return Collections.unmodifiableList(ports);
    }

    /** The router legs (on subnet segments) and uplinks (on the provider bridge). */
    public List<RouterVeth> routerVeths() {
        return Collections.unmodifiableList(routerVeths);
    }

    /** The VXLAN tunnels of the segments that span hosts. */
    public List<Tunnel> tunnels() {
        return Collections.unmodifiableList(tunnels);
    }

    /**
     * The MTU of every segment (bridge, ports, router legs, tunnels): with an overlay, the overlay's segment MTU
     * on every segment, spanning hosts or not yet, so that what instances learned (DHCP) stays true when a
     * subnet's next instance lands on another host; {@link #DEFAULT_MTU} without one.
     */
    public int segmentMtu() {
        return segmentMtu;
    }

    /** By router namespace name. */
    public Map<String, Router> routers() {
        return Collections.unmodifiableMap(routers);
    }

    /** Every interface name the host namespace should have (the instance sides may have moved away). */
    public Set<String> hostNames() {
        Set<String> names = new HashSet<>(bridges);
        ports.forEach(p -> names.addAll(List.of(p.device(), p.instanceSide())));
        routerVeths.forEach(v -> names.add(v.hostSide()));
        tunnels.forEach(t -> names.add(t.device()));
        return names;
    }

    /** For each port id, the device the compute driver moves into the instance. */
    public Map<String, String> portDevices() {
        Map<String, String> devices = new LinkedHashMap<>();
        ports.forEach(p -> devices.put(p.portId(), p.instanceSide()));
        return devices;
    }

    private void addVpc(VpcNetwork vpc, Provider provider) {
        HostNames.shortId(vpc.vpcId()); // the id becomes a namespace name: hex digits and dashes only
        String namespace = HostNames.routerNamespace(vpc.vpcId());
        Map<String, Set<String>> addresses = new LinkedHashMap<>();
        Set<String> noPrefixRoute = new HashSet<>();
        Set<RuleSpec> rules = new LinkedHashSet<>();
        Set<Neighbour> neighbours = new LinkedHashSet<>();
        String uplink = null;
        NatTable nat = null;

        boolean routerHere = vpc.routerHere();
        if (routerHere && vpc.internetAttached() && provider != null) {
            uplink = HostNames.routerUplink(vpc.vpcId());
            String uplinkAddress = Ipv4.format(Ipv4.address(vpc.uplinkAddress()));
            String primary = Ipv4.withPrefixOf(uplinkAddress, provider.cidr());
            Set<String> uplinkAddresses = new LinkedHashSet<>(List.of(primary));
            // Public addresses live on the uplink so that the router answers ARP for them on the provider network.
            vpc.publicIps().forEach(m -> uplinkAddresses.add(Ipv4.format(Ipv4.address(m.publicIp())) + "/32"));
            addresses.put(uplink, uplinkAddresses);
            noPrefixRoute.add(primary);
            routerVeths.add(new RouterVeth(HostNames.uplinkPeer(vpc.vpcId()), provider.bridge(), uplink, namespace,
                    mac(UPLINK_MAC_OCTET, vpc.vpcId()), 0));
            nat = new NatTable(uplink, uplinkAddress, Ipv4.network(vpc.cidr()), vpc.publicIps().stream()
                    .map(m -> new PublicIpMapping(Ipv4.format(Ipv4.address(m.publicIp())),
                            Ipv4.format(Ipv4.address(m.privateIp()))))
                    .toList());
        } else if (routerHere && vpc.internetAttached()) {
            LOG.warn("VPC {} has an internet gateway but this host has no provider network: it stays private",
                    vpc.vpcId());
        }

        for (SubnetNetwork subnet : vpc.subnets()) {
            String bridge = HostNames.subnetBridge(subnet.subnetId());
            String leg = HostNames.routerLeg(subnet.subnetId());
            bridges.add(bridge);
            addTunnel(subnet, bridge);
            if (routerHere) {
                routerVeths.add(new RouterVeth(HostNames.routerBridgeLeg(subnet.subnetId()), bridge, leg, namespace,
                        mac(LEG_MAC_OCTET, subnet.subnetId()), segmentMtu));
                addresses.put(leg, Set.of(Ipv4.withPrefixOf(subnet.gateway(), subnet.cidr())));
                rules.add(new RuleSpec(RuleSpec.PRIORITY, leg, routeTable(subnet.subnetId())));
            }
            for (HostNetwork.Port port : subnet.ports()) {
                if (port.macAddress() != null && !MAC_ADDRESS.matcher(port.macAddress()).matches()) {
                    throw new DriverException("invalid MAC address of port " + port.portId() + ": "
                            + port.macAddress());
                }
                ports.add(new Port(port.portId(), HostNames.portDevice(port.portId()),
                        HostNames.instanceSide(port.portId()), bridge, port.macAddress()));
                if (routerHere && port.macAddress() != null && port.ipAddress() != null) {
                    neighbours.add(new Neighbour(leg, Ipv4.format(Ipv4.address(port.ipAddress())),
                            port.macAddress().toLowerCase(Locale.ROOT)));
                }
            }
        }
        if (routerHere) {
            routers.put(namespace, new Router(namespace, addresses, noPrefixRoute, rules,
                    routes(vpc, uplink, provider), nat, neighbours));
        }
    }

    /** The segment's tunnel to the other hosts holding it, if it spans hosts. */
    private void addTunnel(SubnetNetwork subnet, String bridge) {
        if (!subnet.spansHosts()) {
            return;
        }
        if (overlay == null) {
            LOG.warn("subnet {} has tunnel peers but this host has no overlay: its segment stays local",
                    subnet.subnetId());
            return;
        }
        Set<String> peers = new java.util.TreeSet<>();
        for (String peer : subnet.tunnelPeers()) {
            peers.add(Ipv4.format(Ipv4.address(peer))); // respelled: only what was parsed reaches a command
        }
        peers.remove(overlay.localAddress());
        if (tunnels.stream().anyMatch(t -> t.vni() == subnet.vni())) {
            // The kernel allows one device per VNI and port; one bad subnet must not stop the host's pass.
            LOG.warn("subnet {}: VNI {} is already another segment's on this host: no tunnel", subnet.subnetId(),
                    subnet.vni());
            return;
        }
        if (!peers.isEmpty()) {
            tunnels.add(new Tunnel(Tunnel.device(subnet.subnetId()), bridge, subnet.vni(), overlay.localAddress(),
                    peers, segmentMtu));
        }
    }

    private static Set<RouteSpec> routes(VpcNetwork vpc, String uplink, Provider provider) {
        Map<String, RouteSpec> byDestination = new LinkedHashMap<>();
        for (Route route : vpc.routes()) {
            Optional<SubnetNetwork> subnet = vpc.subnets().stream()
                    .filter(s -> s.subnetId().equals(route.subnetId())).findFirst();
            if (subnet.isEmpty()) {
                continue; // a subnet of the VPC with no presence on this host
            }
            int table = routeTable(route.subnetId());
            String destination = Ipv4.network(route.destinationCidr());
            RouteSpec spec = switch (route.targetType()) {
                case "local" -> null; // the connected routes in main serve the VPC (see RuleSpec.PRIORITY)
                case "igw" -> uplink == null ? null
                        : new RouteSpec(table, "unicast", destination, provider.gateway(), uplink);
                case "instance" -> instanceRoute(vpc, route, table, destination);
                default -> {
                    LOG.warn("route to {} of subnet {}: target type '{}' is not supported by this driver",
                            destination, route.subnetId(), route.targetType());
                    yield null;
                }
            };
            if (spec != null) {
                byDestination.putIfAbsent(table + " " + destination, spec);
            }
        }
        return new LinkedHashSet<>(byDestination.values());
    }

    private static RouteSpec instanceRoute(VpcNetwork vpc, Route route, int table, String destination) {
        if (route.nextHop() == null) {
            LOG.warn("route to {} of subnet {} names no next hop", destination, route.subnetId());
            return null;
        }
        return vpc.subnets().stream()
                .filter(s -> Ipv4.contains(s.cidr(), route.nextHop()))
                .findFirst()
                .map(s -> new RouteSpec(table, "unicast", destination, Ipv4.format(Ipv4.address(route.nextHop())),
                        HostNames.routerLeg(s.subnetId())))
                .orElseGet(() -> {
                    LOG.warn("route to {}: next hop {} is in no subnet of VPC {} on this host", destination,
                            route.nextHop(), vpc.vpcId());
                    return null;
                });
    }

    /**
     * A locally administered unicast MAC address: {@code firstOctet}, then 40 bits of the id. Router legs
     * and uplinks get different first octets; the platform's instance addresses start with 02.
     */
    static String mac(String firstOctet, String id) {
        String hex = HostNames.shortId(id);
        StringBuilder mac = new StringBuilder(firstOctet);
        for (int i = 0; i < 10; i += 2) {
            mac.append(':').append(hex, i, i + 2);
        }
        return mac.toString();
    }

    /**
     * The number of a subnet's route table in its router, derived from its id so that a restarted driver
     * finds it again: 28 bits of the id above 10000, clear of the kernel's tables (253-255).
     */
    public static int routeTable(String subnetId) {
        return 10_000 + Integer.parseInt(HostNames.shortId(subnetId).substring(0, 7), 16);
    }
}
