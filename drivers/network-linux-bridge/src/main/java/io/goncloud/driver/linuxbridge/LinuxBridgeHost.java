package io.goncloud.driver.linuxbridge;

import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass: observe the host namespace and the routers, then change only what differs.
 *
 * <p>Order keeps VPCs isolated throughout: orphans go first, a segment exists before anything is
 * attached to it, a router's interfaces get their addresses before routes use them, and a router's
 * uplink disappears (taking its routes with it) before its NAT table.
 */
final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    static final String ROUTER_PREFIX = HostNames.routerNamespace("");

    /** Interface names this driver gives in the host namespace, derived from HostNames to stay in step. */
    static final Pattern OWNED_LINK = ownedLinkPattern();

    private static final String FORWARDING_SYSCTLS =
            "net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0";

    /** What a router namespace holds. */
    private record RouterState(Map<String, Link> links, Set<RuleSpec> rules, Set<RouteSpec> routes,
                               boolean forwarding) {
    }

    private final Netns host;

    Reconciler(Netns host) {
        this.host = host;
    }

    AppliedNetwork apply(HostNetwork network) {
        Desired desired = Desired.of(network);
        Set<String> namespaces = Netns.list();
        for (String orphan : namespaces) {
            if (orphan.startsWith(ROUTER_PREFIX) && !desired.routers.containsKey(orphan)) {
                LOG.info("deleting router namespace {}: its VPC is no longer on this host", orphan);
                Netns.delete(orphan); // its veths go with it, and with them their peers in the host
            }
        }
        for (String router : desired.routers.keySet()) {
            if (!namespaces.contains(router)) {
                createRouter(router);
            }
        }

        Map<String, Link> hostLinks = links(host);
        Map<String, RouterState> routers = observeRouters(desired);
        boolean routersCleaned = false;
        for (Desired.Router router : desired.routers.values()) {
            List<String> cleanup = routerCleanup(router, routers.get(router.namespace()).links(), hostLinks, desired);
            Netns.named(router.namespace()).batch(cleanup);
            routersCleaned |= !cleanup.isEmpty();
        }
        if (routersCleaned) {
            // Deleting a router's half of a veth took the host's half with it.
            hostLinks = links(host);
            routers = observeRouters(desired);
        }
        List<String> hostChanges = hostChanges(desired, hostLinks, routers);
        host.batch(hostChanges);
        if (!hostChanges.isEmpty()) {
            routers = observeRouters(desired);
        }
        for (Desired.Router router : desired.routers.values()) {
            configureRouter(router, routers.get(router.namespace()));
        }
        return new AppliedNetwork(desired.portDevices());
    }

    private static void createRouter(String namespace) {
        LOG.info("creating router namespace {}", namespace);
        Netns.add(namespace);
        Netns.named(namespace).batch(List.of("link set lo up"));
        enableForwarding(Netns.named(namespace));
    }

    /** Routing on, and no reverse-path filter: replies to public addresses arrive where main has no route. */
    private static void enableForwarding(Netns router) {
        List<String> command = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        command.addAll(List.of(FORWARDING_SYSCTLS.split(" ")));
        router.exec(command, null).orThrow();
    }

    private Map<String, RouterState> observeRouters(Desired desired) {
        Map<String, RouterState> states = new LinkedHashMap<>();
        for (String namespace : desired.routers.keySet()) {
            List<Object> answers = Netns.named(namespace)
                    .show(List.of("addr show", "rule show", "route show table all", "netconf show"));
            boolean forwarding = Json.objects(answers.get(3)).stream()
                    .anyMatch(c -> "inet".equals(c.get("family")) && "all".equals(c.get("interface"))
                            && Boolean.TRUE.equals(c.get("forwarding")));
            states.put(namespace, new RouterState(Link.parse(answers.get(0)), RuleSpec.parseOwn(answers.get(1)),
                    RouteSpec.parseOwnTables(answers.get(2)), forwarding));
        }
        return states;
    }

    private static Map<String, Link> links(Netns netns) {
        return Link.parse(netns.show(List.of("addr show")).get(0));
    }

    /** Router interfaces to delete: unknown ones, and halves of veths whose host side is gone. */
    private static List<String> routerCleanup(Desired.Router router, Map<String, Link> links,
                                              Map<String, Link> hostLinks, Desired desired) {
        Map<String, Desired.RouterVeth> veths = desired.routerVeths.stream()
                .filter(v -> v.router().equals(router.namespace()))
                .collect(Collectors.toMap(Desired.RouterVeth::routerSide, v -> v));
        List<String> lines = new ArrayList<>();
        for (Link link : links.values()) {
            if (link.name().equals("lo")) {
                continue;
            }
            Desired.RouterVeth veth = veths.get(link.name());
            Link hostSide = veth == null ? null : hostLinks.get(veth.hostSide());
            if (veth == null || !link.is("veth") || hostSide == null || !hostSide.is("veth")) {
                lines.add("link del " + link.name());
            }
        }
        return lines;
    }

    private static List<String> hostChanges(Desired desired, Map<String, Link> links,
                                            Map<String, RouterState> routers) {
        Set<String> present = new HashSet<>();
        for (Link link : links.values()) {
            if (keep(link, desired, links, routers)) {
                present.add(link.name());
            }
        }
        List<String> lines = new ArrayList<>();
        Set<String> deleted = new HashSet<>();
        for (Link link : links.values()) {
            if (OWNED_LINK.matcher(link.name()).matches() && !present.contains(link.name())
                    && !deleted.contains(link.name())) {
                lines.add("link del " + link.name());
                deleted.add(link.name());
                if (link.localPeer() != null) {
                    deleted.add(link.localPeer()); // a veth pair goes as a whole
                }
            }
        }
        if (desired.providerBridge != null && !links.containsKey(desired.providerBridge)) {
            // The outside belongs to the operator; the driver only makes sure there is a bridge to plug into.
            lines.add("link add " + desired.providerBridge + " type bridge");
            lines.add("link set " + desired.providerBridge + " up");
        }
        for (String bridge : desired.bridges) {
            if (!present.contains(bridge)) {
                // nf_call_iptables: bridged IPv4 passes the inet hooks, so that a firewall sees it with
                // conntrack even where the bridge family has none; without br_netfilter it does nothing.
                lines.add("link add " + bridge + " type bridge nf_call_iptables 1");
                // No IPv6 link-local address: instances must not reach the host through their segment.
                lines.add("link set " + bridge + " addrgenmode none");
            }
            attach(lines, bridge, null, present.contains(bridge) ? links.get(bridge) : null);
        }
        for (Desired.Port port : desired.ports) {
            if (!present.contains(port.device())) {
                // The instance sees the platform's MAC address; the host side keeps a random one.
                lines.add("link add " + port.device() + " type veth peer name " + port.instanceSide()
                        + (port.macAddress() == null ? "" : " address " + port.macAddress()));
            }
            attach(lines, port.device(), port.bridge(),
                    present.contains(port.device()) ? links.get(port.device()) : null);
        }
        for (Desired.RouterVeth veth : desired.routerVeths) {
            if (!present.contains(veth.hostSide())) {
                lines.add("link add " + veth.hostSide() + " type veth peer name " + veth.routerSide()
                        + " netns " + veth.router());
            }
            attach(lines, veth.hostSide(), veth.bridge(),
                    present.contains(veth.hostSide()) ? links.get(veth.hostSide()) : null);
        }
        return lines;
    }

    /** Whether an existing host interface is right as it is (anything owned and not right is recreated). */
    private static boolean keep(Link link, Desired desired, Map<String, Link> links, Map<String, RouterState> routers) {
        String name = link.name();
        if (desired.bridges.contains(name)) {
            return link.is("bridge");
        }
        for (Desired.Port port : desired.ports) {
            if (port.device().equals(name)) {
                return link.is("veth");
            }
            if (port.instanceSide().equals(name)) {
                // Still on the host, waiting for the compute driver; a stray one without its port device
                // would block recreating the pair.
                Link device = links.get(port.device());
                return device != null && device.is("veth");
            }
        }
        for (Desired.RouterVeth veth : desired.routerVeths) {
            if (veth.hostSide().equals(name)) {
                Link routerSide = routers.get(veth.router()).links().get(veth.routerSide());
                return link.is("veth") && routerSide != null && routerSide.is("veth");
            }
        }
        return !OWNED_LINK.matcher(name).matches(); // not ours: never touched
    }

    /** Puts an interface on its bridge (if any) and up; {@code existing} is null for one just created. */
    private static void attach(List<String> lines, String name, String bridge, Link existing) {
        if (bridge != null && (existing == null || !bridge.equals(existing.master()))) {
            lines.add("link set " + name + " master " + bridge);
        }
        if (existing == null || !existing.up()) {
            lines.add("link set " + name + " up");
        }
    }

    private static void configureRouter(Desired.Router router, RouterState state) {
        Netns netns = Netns.named(router.namespace());
        if (!state.forwarding()) {
            enableForwarding(netns);
        }
        List<String> lines = new ArrayList<>();
        Link lo = state.links().get("lo");
        if (lo != null && !lo.up()) {
            lines.add("link set lo up");
        }
        router.addresses().forEach((device, addresses) -> {
            Link link = state.links().get(device);
            if (link == null) {
                return; // created by the host batch, so only a concurrent deletion gets here: next pass
            }
            if (!link.up()) {
                lines.add("link set " + device + " up");
            }
            link.addresses().stream().filter(a -> !addresses.contains(a))
                    .forEach(a -> lines.add("addr del " + a + " dev " + device));
            addresses.stream().filter(a -> !link.addresses().contains(a))
                    .forEach(a -> lines.add("addr add " + a + " dev " + device
                            + (router.noPrefixRoute().contains(a) ? " noprefixroute" : "")));
        });
        difference(state.rules(), router.rules()).forEach(r -> lines.add(r.delete()));
        difference(state.routes(), router.routes()).forEach(r -> lines.add(r.delete()));
        difference(router.rules(), state.rules()).forEach(r -> lines.add(r.add()));
        difference(router.routes(), state.routes()).forEach(r -> lines.add(r.add()));
        netns.batch(lines);
        applyNat(netns, router.nat());
    }

    private static void applyNat(Netns router, NatTable nat) {
        if (nat != null) {
            // Replaced on every pass: one small atomic transaction that also repairs any drift.
            router.exec(List.of("nft", "-f", "-"), nat.script()).orThrow();
            return;
        }
        String tables = router.exec(List.of("nft", "list", "tables", "ip"), null).orThrow();
        if (tables.lines().anyMatch(l -> l.strip().equals("table ip " + NatTable.NAME))) {
            router.exec(List.of("nft", "-f", "-"), NatTable.removal()).orThrow();
        }
    }

    private static <T> List<T> difference(Set<T> from, Set<T> minus) {
        return from.stream().filter(x -> !minus.contains(x)).toList();
    }

    private static Pattern ownedLinkPattern() {
        String sampleId = "0".repeat(32);
        int idChars = HostNames.shortId(sampleId).length();
        String prefixes = Stream.<UnaryOperator<String>>of(HostNames::subnetBridge, HostNames::portDevice,
                        HostNames::instanceSide, HostNames::routerLeg, HostNames::routerBridgeLeg,
                        HostNames::routerUplink, HostNames::uplinkPeer)
                .map(naming -> naming.apply(sampleId))
                .map(name -> Pattern.quote(name.substring(0, name.length() - idChars)))
                .collect(Collectors.joining("|"));
        return Pattern.compile("(?:" + prefixes + ")[0-9a-f]{" + idChars + "}");
    }
}
