package io.goncloud.driver.network.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments' VXLAN devices in the host namespace: how the existing ones are configured, and their
 * forwarding entries. Each peer of a segment has one all-zero entry ({@code bridge fdb append
 * 00:00:00:00:00:00 dev <device> dst <peer>}): broadcast and unknown unicast (ARP, DHCP) go to every peer
 * by unicast, with no multicast in the underlay; entries of hosts that left the segment are removed,
 * learned ones too, so that nothing keeps going to a host that no longer holds the segment.
 */
public final class VxlanTunnels {

    private static final Logger LOG = LoggerFactory.getLogger(VxlanTunnels.class);

    private static final Pattern TUNNEL_DEVICE = OwnedNames.of(List.of(Tunnel::device));

    /** What an existing VXLAN device was made with; a device that differs is made again. */
    public record Vxlan(int vni, String local, int dstport) {
    }

    private final Netns host;

    public VxlanTunnels(Netns host) {
        this.host = host;
    }

    public static boolean isTunnelDevice(String name) {
        return TUNNEL_DEVICE.matcher(name).matches();
    }

    /** The configuration of the tunnel devices present, read only when the host has or wants any. */
    public Map<String, Vxlan> observe(Desired desired, Map<String, Link> links) {
        Map<String, Vxlan> devices = new HashMap<>();
        if (desired.tunnels().isEmpty() && links.keySet().stream().noneMatch(VxlanTunnels::isTunnelDevice)) {
            return devices;
        }
        for (Map<String, Object> entry : Json.objects(host.show(List.of("link show type vxlan")).get(0))) {
            String name = (String) entry.get("ifname");
            if (name != null && isTunnelDevice(name) && entry.get("linkinfo") instanceof Map<?, ?> info
                    && info.get("info_data") instanceof Map<?, ?> data) {
                devices.put(name, new Vxlan(number(data.get("id")), (String) data.get("local"), number(data.get("port"))));
            }
        }
        return devices;
    }

    /** Whether an existing device is the desired tunnel as it is. */
    public static boolean matches(Link link, Vxlan observed, Tunnel tunnel) {
        return link.is("vxlan") && observed != null && observed.vni() == tunnel.vni()
                && tunnel.local().equals(observed.local()) && observed.dstport() == Tunnel.DSTPORT;
    }

    /**
     * Brings the forwarding entries of every desired tunnel (each exists by now) to its peers.
     *
     * @return whether anything changed
     */
    public boolean convergeFloodEntries(List<Tunnel> tunnels) {
        if (tunnels.isEmpty()) {
            return false;
        }
        List<String> queries = tunnels.stream().map(t -> "fdb show dev " + t.device()).toList();
        List<Object> answers = Json.parseAll(bridge(List.of("-j", "-batch", "-"), queries).orThrow());
        List<String> changes = new ArrayList<>();
        List<String> staleLearned = new ArrayList<>();
        for (int i = 0; i < tunnels.size(); i++) {
            Tunnel tunnel = tunnels.get(i);
            Set<String> flooding = new TreeSet<>();
            for (Map<String, Object> entry : i < answers.size() ? Json.objects(answers.get(i)) : List.<Map<String, Object>>of()) {
                if (!(entry.get("dst") instanceof String dst) || !(entry.get("mac") instanceof String mac)) {
                    continue; // the bridge's own entries for the device, not the tunnel's
                }
                if (mac.equals(Tunnel.FLOOD_MAC)) {
                    flooding.add(dst);
                    if (!tunnel.peers().contains(dst)) {
                        changes.add("fdb del " + Tunnel.FLOOD_MAC + " dev " + tunnel.device() + " dst " + dst);
                    }
                } else if (!tunnel.peers().contains(dst)) {
                    staleLearned.add("fdb del " + mac + " dev " + tunnel.device() + " dst " + dst);
                }
            }
            tunnel.peers().stream().filter(peer -> !flooding.contains(peer))
                    .forEach(peer -> changes.add("fdb append " + Tunnel.FLOOD_MAC + " dev " + tunnel.device()
                            + " dst " + peer));
        }
        if (!changes.isEmpty()) {
            LOG.info("tunnel flooding entries: {}", changes);
            bridge(List.of("-batch", "-"), changes).orThrow();
        }
        if (!staleLearned.isEmpty()) {
            // Learned entries age out on their own (5 min) and may do so meanwhile: best effort.
            bridge(List.of("-force", "-batch", "-"), staleLearned);
        }
        return !changes.isEmpty() || !staleLearned.isEmpty();
    }

    private Exec.Result bridge(List<String> args, List<String> lines) {
        List<String> command = new ArrayList<>(List.of("bridge"));
        if (host.name() != null) {
            command.addAll(List.of("-n", host.name()));
        }
        command.addAll(args);
        return Exec.run(command, String.join("\n", lines) + "\n");
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : -1;
    }
}
