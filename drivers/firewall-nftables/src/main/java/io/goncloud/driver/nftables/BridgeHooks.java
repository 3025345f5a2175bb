package io.goncloud.driver.nftables;

import io.goncloud.driver.network.common.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes bridged IPv4 of the subnet bridges (and of the per-port bridges of hybrid-plugged ports) visible to conntrack (see {@link SecurityGroups}): br_netfilter
 * loaded, and nf_call_iptables set on each subnet bridge. Per bridge rather than the host-wide sysctl, so
 * that other bridges of the host (a container engine's, say) are left as they are.
 */
final class BridgeHooks {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeHooks.class);

    private static final Pattern BRIDGE = Pattern.compile("^\\d+: ([^:@\\s]+)[:@].*?nf_call_iptables (\\d)");

    private BridgeHooks() {
    }

    /** Whether br_netfilter is in the kernel, loading it if it is a module that is not loaded yet. */
    static boolean loadBrNetfilter() {
        if (Files.isDirectory(Path.of("/proc/sys/net/bridge"))) {
            return true;
        }
        try {
            Exec.run(List.of("modprobe", "br_netfilter"), null);
        } catch (RuntimeException e) {
            LOG.debug("modprobe br_netfilter: {}", e.getMessage());
        }
        return Files.isDirectory(Path.of("/proc/sys/net/bridge"));
    }

    /** Sets nf_call_iptables on every subnet (or per-port) bridge of {@code host} that lacks it. */
    static void enable(Namespace host) {
        String bridges = host.run(List.of("ip", "-o", "-d", "link", "show", "type", "bridge"), null).orThrow();
        List<String> commands = new ArrayList<>();
        for (String line : bridges.lines().toList()) {
            Matcher bridge = BRIDGE.matcher(line);
            if (bridge.find() && HostPrefixes.TRACKED_BRIDGES.stream().anyMatch(bridge.group(1)::startsWith)
                    && bridge.group(2).equals("0")) {
                commands.add("link set " + bridge.group(1) + " type bridge nf_call_iptables 1");
            }
        }
        if (!commands.isEmpty()) {
            host.run(List.of("ip", "-batch", "-"), String.join("\n", commands) + "\n").orThrow();
        }
    }
}
