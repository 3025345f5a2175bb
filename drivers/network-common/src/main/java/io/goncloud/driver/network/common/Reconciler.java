package io.goncloud.driver.network.common;

import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.api.spi.network.HostNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass shared by the network drivers: observe the host namespace and the routers,
 * then change only what differs. The routers (namespaces, addresses, rules, routes, NAT) are the same
 * whatever the segments are made of; the segments, ports and the host halves of the router veths are
 * the {@link HostSide}'s.
 *
 * <p>Order keeps VPCs isolated throughout: orphans go first, a segment exists before anything is
 * attached to it, a router's interfaces get their addresses before routes use them, and a router's
 * uplink disappears (taking its routes with it) before its NAT table.
 *
 * <p>Router namespaces have global names, so several drivers on one machine (tests do that, each with a
 * host namespace of its own) would take each other's routers for orphans. Each router therefore carries
 * the name of the host it serves as the alias of its loopback ({@link #ownerMark}); a pass deletes only
 * the undesired routers marked as its host's, or not marked at all.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    public static final String ROUTER_PREFIX = HostNames.routerNamespace("");

    private static final String OWNER_MARK = "gcp-router";

    private static final Pattern HOST_NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

    private static final String FORWARDING_SYSCTLS =
            "net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0";

    /** What a driver builds in the host namespace: segments, ports, and the host halves of router veths. */
    public interface HostSide {

        /**
         * Brings the host namespace to {@code desired}'s segments, ports and router veth host halves (their
         * router halves are created with them, in the router namespace), deleting its orphans.
         *
         * @param links   the host namespace's interfaces as they are now
         * @param routers the routers as they are now (each desired router exists)
         * @return whether anything changed
         */
        boolean converge(Desired desired, Map<String, Link> links, Map<String, RouterState> routers);
    }

    /** What a router namespace holds. */
    public record RouterState(Map<String, Link> links, Set<RuleSpec> rules, Set<RouteSpec> routes,
                              boolean forwarding, Set<Desired.Neighbour> permanentNeighbours) {
    }

    private final Netns host;
    private final HostSide hostSide;
    private final String ownerMark;
    private final DhcpServers dhcp;

    public Reconciler(Netns host, HostSide hostSide) {
        this(host, hostSide, null);
    }

    /** @param dhcp the routers' DHCP servers, or null for none */
    public Reconciler(Netns host, HostSide hostSide, DhcpServers dhcp) {
        this(host, hostSide, dhcp, null);
    }

    /**
     * @param owner the name marking this host's routers (see {@link #ownerMark(Netns, String)}); blank: the host
     *              namespace's name
     */
    public Reconciler(Netns host, HostSide hostSide, DhcpServers dhcp, String owner) {
        if (host.name() != null && !HOST_NAMESPACE.matcher(host.name()).matches()) {
            throw new DriverException("invalid host namespace name: " + host.name());
        }
        if (owner != null && !owner.isBlank() && !HOST_NAMESPACE.matcher(owner.strip()).matches()) {
            throw new DriverException("invalid router owner name: " + owner);
        }
        this.host = host;
        this.hostSide = hostSide;
        this.ownerMark = ownerMark(host, owner);
        this.dhcp = dhcp;
    }

    /** The loopback alias of the routers serving {@code host}. */
    public static String ownerMark(Netns host) {
        return ownerMark(host, null);
    }

    /**
     * The loopback alias of the routers this host makes. Named namespaces are machine-wide: where several hosts
     * share one machine (a cluster simulated in namespaces, tests), each host leaves routers marked by another
     * alone, and only deletes its own and unmarked ones.
     */
    public static String ownerMark(Netns host, String owner) {
        if (owner != null && !owner.isBlank()) {
            return OWNER_MARK + "@" + owner.strip();
        }
        return host.name() == null ? OWNER_MARK : OWNER_MARK + "@" + host.name();
    }

    /** A full pass: every router is read and repaired. */
    public AppliedNetwork apply(HostNetwork network) {
        return pass(network, true);
    }

    /**
     * A change-driven pass: the host namespace, the DHCP servers and the routers whose part of the desired
     * state changed since the last pass are read and converged; the other routers are taken as the last pass
     * saw them, unless that was more than {@link #FULL_PASS_INTERVAL} ago (then this pass is full). Adding an
     * instance's port thus costs the same with one VPC on the host or a hundred.
     */
    public AppliedNetwork applyChanges(HostNetwork network) {
        return pass(network, false);
    }

    /**
     * The longest a router goes unread while change-driven passes run: a bound for callers that never ask for a
     * full pass. The platform's agent asks for one every resync (30 s), in the background; a shorter bound here
     * would put a full pass (every router read) on the path of the first launch after a quiet spell.
     */
    static final Duration FULL_PASS_INTERVAL = Duration.ofMinutes(2);

    /** A router's part of the desired state: its own configuration and its veths. */
    private record RouterSlice(Desired.Router router, List<Desired.RouterVeth> veths) {
    }

    private Map<String, RouterSlice> lastSlices; // null: the next pass is full
    private long lastFullPassNanos;
    private final Map<String, RouterState> lastSeen = new HashMap<>();

    private synchronized AppliedNetwork pass(HostNetwork network, boolean full) {
        Desired desired = Desired.of(network);
        Map<String, RouterSlice> slices = new LinkedHashMap<>();
        desired.routers().forEach((name, router) -> slices.put(name, new RouterSlice(router,
                desired.routerVeths().stream().filter(v -> v.router().equals(name)).toList())));
        long started = System.nanoTime();
        boolean everything = full || lastSlices == null || started - lastFullPassNanos >= FULL_PASS_INTERVAL.toNanos();
        Set<String> touched = new HashSet<>();
        Set<String> natDue = new HashSet<>();
        slices.forEach((name, slice) -> {
            RouterSlice last = lastSlices == null ? null : lastSlices.get(name);
            if (everything || !slice.equals(last) || !lastSeen.containsKey(name)) {
                touched.add(name);
            }
            // The NAT table is rewritten whole (one nft process): only when it changed, or on a full pass.
            if (everything || last == null || !lastSeen.containsKey(name)
                    || !Objects.equals(slice.router().nat(), last.router().nat())) {
                natDue.add(name);
            }
        });
        lastSlices = null; // until this pass has succeeded
        try {
            converge(network, desired, touched, natDue);
        } catch (RuntimeException e) {
            lastSeen.clear();
            throw e;
        }
        lastSlices = slices;
        if (everything) {
            lastFullPassNanos = started;
        }
        lastSeen.keySet().retainAll(slices.keySet());
        return new AppliedNetwork(desired.portDevices());
    }

    private void converge(HostNetwork network, Desired desired, Set<String> touched, Set<String> natDue) {
        Set<String> namespaces = Netns.list();
        for (String orphan : namespaces) {
            if (orphan.startsWith(ROUTER_PREFIX) && !desired.routers().containsKey(orphan) && ours(orphan)) {
                LOG.info("deleting router namespace {}: its VPC is no longer on this host", orphan);
                Netns.delete(orphan); // its veths go with it, and with them their peers in the host
            }
        }
        for (String router : desired.routers().keySet()) {
            if (!namespaces.contains(router)) {
                createRouter(router);
                touched.add(router);
                natDue.add(router);
            }
        }

        Map<String, Link> hostLinks = links(host);
        Map<String, RouterState> routers = observeRouters(touched);
        boolean routersCleaned = false;
        for (String name : touched) {
            Desired.Router router = desired.routers().get(name);
            List<String> cleanup = routerCleanup(router, routers.get(name).links(), hostLinks, desired);
            Netns.named(name).batch(cleanup);
            routersCleaned |= !cleanup.isEmpty();
        }
        if (routersCleaned) {
            // Deleting a router's half of a veth took the host's half with it.
            hostLinks = links(host);
            routers = observeRouters(touched);
        }
        if (hostSide.converge(desired, hostLinks, withLastSeen(routers))) {
            routers = observeRouters(touched);
            lastSeen.putAll(routers);
        }
        for (String name : touched) {
            configureRouter(desired.routers().get(name), routers.get(name), desired, natDue.contains(name));
        }
        if (dhcp != null) {
            // Last: the legs have their gateway addresses; servers of deleted routers stop here too.
            dhcp.converge(network);
        }
    }

    /** The routers just read, and the others as the last pass saw them. */
    private Map<String, RouterState> withLastSeen(Map<String, RouterState> observed) {
        lastSeen.putAll(observed);
        return Map.copyOf(lastSeen);
    }

    /** Whether an undesired router namespace is this host's (or nobody's) to delete. */
    private boolean ours(String namespace) {
        Link lo;
        try {
            lo = Link.parse(Netns.named(namespace).show(List.of("link show lo")).get(0)).get("lo");
        } catch (DriverException e) {
            LOG.debug("router namespace {} could not be read ({}): left alone", namespace, e.getMessage());
            return false; // deleted meanwhile, or unreadable: not a reason to fail the pass
        }
        String mark = lo == null ? null : lo.alias();
        boolean ours = mark == null || !mark.startsWith(OWNER_MARK) || mark.equals(ownerMark);
        if (!ours) {
            LOG.debug("router namespace {} serves another host ({}): left alone", namespace, mark);
        }
        return ours;
    }

    private void createRouter(String namespace) {
        LOG.info("creating router namespace {}", namespace);
        Netns.add(namespace);
        // Marked first, so that another host's pass never takes it for an unmarked orphan for long.
        Netns.named(namespace).batch(List.of("link set lo alias " + ownerMark, "link set lo up"));
        enableForwarding(Netns.named(namespace));
    }

    /** Routing on, and no reverse-path filter: replies to public addresses arrive where main has no route. */
    private static void enableForwarding(Netns router) {
        List<String> command = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        command.addAll(List.of(FORWARDING_SYSCTLS.split(" ")));
        router.exec(command, null).orThrow();
    }

    private static Map<String, RouterState> observeRouters(Set<String> routers) {
        Map<String, RouterState> states = new LinkedHashMap<>();
        for (String namespace : routers) {
            List<Object> answers = Netns.named(namespace)
                    .show(List.of("addr show", "rule show", "route show table all", "netconf show",
                            "neigh show nud permanent"));
            boolean forwarding = Json.objects(answers.get(3)).stream()
                    .anyMatch(c -> "inet".equals(c.get("family")) && "all".equals(c.get("interface"))
                            && Boolean.TRUE.equals(c.get("forwarding")));
            states.put(namespace, new RouterState(Link.parse(answers.get(0)), RuleSpec.parseOwn(answers.get(1)),
                    RouteSpec.parseOwnTables(answers.get(2)), forwarding, permanentNeighbours(answers.get(4))));
        }
        return states;
    }

    private static Set<Desired.Neighbour> permanentNeighbours(Object answer) {
        Set<Desired.Neighbour> neighbours = new HashSet<>();
        for (Map<String, Object> entry : Json.objects(answer)) {
            if (entry.get("dst") instanceof String dst && entry.get("dev") instanceof String dev
                    && entry.get("lladdr") instanceof String mac && dst.indexOf(':') < 0) {
                neighbours.add(new Desired.Neighbour(dev, dst, mac.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        return neighbours;
    }

    /** The interfaces of a namespace, with their IPv4 addresses. */
    public static Map<String, Link> links(Netns netns) {
        return Link.parse(netns.show(List.of("addr show")).get(0));
    }

    /** Router interfaces to delete: unknown ones, and halves of veths whose host side is gone. */
    private static List<String> routerCleanup(Desired.Router router, Map<String, Link> links,
                                              Map<String, Link> hostLinks, Desired desired) {
        Map<String, Desired.RouterVeth> veths = desired.routerVeths().stream()
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

    private void configureRouter(Desired.Router router, RouterState state, Desired desired, boolean nat) {
        Netns netns = Netns.named(router.namespace());
        if (!state.forwarding()) {
            enableForwarding(netns);
        }
        List<String> lines = new ArrayList<>();
        Link lo = state.links().get("lo");
        if (lo != null && !ownerMark.equals(lo.alias())) {
            lines.add("link set lo alias " + ownerMark);
        }
        if (lo != null && !lo.up()) {
            lines.add("link set lo up");
        }
        for (Desired.RouterVeth veth : desired.routerVeths()) {
            Link link = state.links().get(veth.routerSide());
            if (veth.router().equals(router.namespace()) && link != null
                    && !veth.routerSideMac().equalsIgnoreCase(String.valueOf(link.mac()))) {
                lines.add("link set " + veth.routerSide() + " address " + veth.routerSideMac());
            }
            if (veth.router().equals(router.namespace()) && link != null && veth.mtu() > 0 && link.mtu() != veth.mtu()) {
                lines.add("link set " + veth.routerSide() + " mtu " + veth.mtu());
            }
        }
        router.addresses().forEach((device, addresses) -> {
            Link link = state.links().get(device);
            if (link == null) {
                return; // created by the host side, so only a concurrent deletion gets here: next pass
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
        difference(state.permanentNeighbours(), router.neighbours()).stream()
                .filter(n -> state.links().containsKey(n.device()))
                .forEach(n -> lines.add("neigh del " + n.address() + " dev " + n.device()));
        difference(router.neighbours(), state.permanentNeighbours()).stream()
                .filter(n -> state.links().containsKey(n.device()))
                .forEach(n -> lines.add("neigh replace " + n.address() + " lladdr " + n.mac() + " dev " + n.device()
                        + " nud permanent"));
        netns.batch(lines);
        if (nat) {
            applyNat(netns, router.nat());
        }
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
}
