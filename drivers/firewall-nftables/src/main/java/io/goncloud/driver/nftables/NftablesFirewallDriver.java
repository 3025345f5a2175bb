package io.goncloud.driver.nftables;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.FirewallDriver;
import io.goncloud.api.spi.network.FirewallPolicy;
import io.goncloud.api.spi.network.FirewallPolicy.SubnetAcl;
import io.goncloud.api.spi.network.HostNames;
import io.goncloud.driver.network.common.Exec;
import io.goncloud.driver.network.common.HostChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security groups ({@link SecurityGroups}) in the host namespace and network ACLs ({@link NetworkAcls})
 * in each VPC router namespace, with nftables. Each namespace gets one atomic transaction per apply.
 */
@Component(service = FirewallDriver.class, configurationPid = NftablesFirewallDriver.PID,
        property = Driver.PROPERTY_DRIVER_NAME + "=" + NftablesFirewallDriver.NAME)
@Designate(ocd = NftablesFirewallDriver.Config.class)
public class NftablesFirewallDriver implements FirewallDriver {

    private static final Logger LOG = LoggerFactory.getLogger(NftablesFirewallDriver.class);

    static final String NAME = "nftables";
    static final String PID = "io.goncloud.driver.nftables";

    @ObjectClassDefinition(name = "GCP firewall driver: nftables")
    public @interface Config {
        @AttributeDefinition(description = "Existing network namespace that stands for the host (security groups "
                + "are installed there); empty for the namespace of the process. Router namespaces are named "
                + "namespaces either way.")
        String host_netns() default "";
    }

    private static final String ROUTER_MARK = "gcp-router";
    private static final Pattern IFALIAS = Pattern.compile("\"ifalias\":\"([^\"]*)\"");

    /**
     * How long {@link #applyChanges} trusts the driver's record of what it committed before it reads the kernel
     * again. {@link #apply} always reads it (the agent's periodic resync, every 30 s, repairs drift); a short
     * bound here would read every router's tables on the first change after a quiet spell, on a launch's path.
     */
    static final Duration KERNEL_READ_INTERVAL = Duration.ofMinutes(2);

    private final Namespace host;
    /** By namespace name (null: the host namespace of the process). */
    private final Map<String, Known> committed = new HashMap<>();
    private final Duration kernelReadInterval;

    @Activate
    public NftablesFirewallDriver(Config config) {
        this(config.host_netns());
    }

    NftablesFirewallDriver(String hostNetns) {
        this(hostNetns, KERNEL_READ_INTERVAL);
    }

    NftablesFirewallDriver(String hostNetns, Duration kernelReadInterval) {
        host = new Namespace(hostNetns == null || hostNetns.isBlank() ? null : hostNetns.strip());
        this.kernelReadInterval = kernelReadInterval;
    }

    @Override
    public DriverInfo info() {
        return new DriverInfo(NAME, DriverKind.FIREWALL, "0.1.0",
                Set.of("security-groups:stateful", "network-acls:stateless", "atomic"));
    }

    /** Applies the policy after reading what every namespace holds now: repairs drift. */
    @Override
    public synchronized void apply(FirewallPolicy desired) {
        apply(desired, Duration.ZERO);
    }

    /** Applies the policy, trusting what this driver committed within {@link #KERNEL_READ_INTERVAL}. */
    @Override
    public synchronized void applyChanges(FirewallPolicy desired) {
        apply(desired, kernelReadInterval);
    }

    private void apply(FirewallPolicy desired, Duration trusted) {
        List<String> problems = new ArrayList<>();
        try {
            if (!BridgeHooks.loadBrNetfilter()) {
                problems.add("br_netfilter is not available: replies to allowed traffic will be dropped");
            }
            BridgeHooks.enable(host);
            commit(host, SecurityGroups.tables(desired.ports()), trusted);

            Map<String, List<SubnetAcl>> byRouter = new LinkedHashMap<>();
            for (SubnetAcl acl : desired.subnetAcls()) {
                HostNames.shortId(acl.vpcId()); // becomes a namespace name: hex digits and dashes only
                byRouter.computeIfAbsent(HostNames.routerNamespace(acl.vpcId()), r -> new ArrayList<>()).add(acl);
            }
            Set<String> namespaces = Namespace.list();
            committed.keySet().removeIf(name -> name != null && !namespaces.contains(name));
            byRouter.forEach((router, acls) -> {
                if (namespaces.contains(router)) {
                    commit(new Namespace(router), List.of(NetworkAcls.table(acls)), trusted);
                } else {
                    problems.add("router namespace " + router + " does not exist (yet): its ACLs wait for "
                            + "the next apply");
                }
            });
            for (String namespace : namespaces) {
                if (namespace.startsWith(HostPrefixes.ROUTER_NAMESPACES) && !byRouter.containsKey(namespace)
                        && servesThisHost(namespace)) {
                    removeTable(new Namespace(namespace), "inet", NetworkAcls.TABLE);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new DriverException("invalid firewall policy: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new DriverException(String.join("; ", problems));
        }
    }

    /**
     * Whether a router namespace serves this driver's host, as the network drivers mark it: the alias of
     * its loopback is {@code gcp-router} (host namespace of the process) or {@code gcp-router@<host>}.
     * Unmarked routers count as this host's; routers of other hosts (other drivers' tests on the same
     * machine) are left alone.
     */
    private boolean servesThisHost(String router) {
        Exec.Result lo = new Namespace(router).run(List.of("ip", "-j", "link", "show", "lo"), null);
        if (!lo.ok()) {
            return false; // gone meanwhile
        }
        Matcher alias = IFALIAS.matcher(lo.stdout());
        String mark = host.name() == null ? ROUTER_MARK : ROUTER_MARK + "@" + host.name();
        return !alias.find() || !alias.group(1).startsWith(ROUTER_MARK) || alias.group(1).equals(mark);
    }

    /**
     * Applies {@code tables} in {@code namespace} as one transaction, diffed against what this driver
     * committed there last, or against the kernel's state: on the first apply, after a failure, in a
     * namespace recreated under the same name, and whenever the last read is older than {@code trusted}.
     */
    private void commit(Namespace namespace, List<NftTable> tables, Duration trusted) {
        Known known = committed.get(namespace.name());
        String identity = namespace.identity();
        boolean fresh = known != null && known.identity().equals(identity)
                && System.nanoTime() - known.readAt() < trusted.toNanos();
        long readAt = fresh ? known.readAt() : System.nanoTime();
        Map<String, Observed> observed = fresh ? known.tables() : Observed.read(namespace);
        Map<String, Observed> after = Observed.after(observed, tables);
        if (fresh && after.equals(observed)) {
            return; // nothing to change, and what we know is recent: no nft process for nothing
        }
        Exec.Result result = nft(namespace, Transaction.incremental(tables, observed));
        if (!result.ok()) {
            committed.remove(namespace.name());
            // A table changed behind our back or by an older driver version: start it afresh, atomically too.
            LOG.warn("incremental nftables update in {} failed ({}); replacing the tables whole",
                    namespace.describe(), result.stderr().strip());
            Exec.Result replaced = nft(namespace, Transaction.replacement(tables));
            if (!replaced.ok()) {
                throw new DriverException("nftables in " + namespace.describe() + " refused the policy: "
                        + replaced.stderr().strip());
            }
        }
        committed.put(namespace.name(), new Known(identity, readAt, after));
    }

    /** What a namespace's tables hold after this driver's last commit there. */
    private record Known(String identity, long readAt, Map<String, Observed> tables) {
    }

    private void removeTable(Namespace namespace, String family, String table) {
        committed.remove(namespace.name());
        if (Observed.read(namespace).containsKey(family + " " + table)) {
            LOG.info("deleting {} {} in {}: no longer in the policy", family, table, namespace.describe());
            nft(namespace, "delete table " + family + " " + table + "\n").orThrow();
        }
    }

    private static Exec.Result nft(Namespace namespace, String script) {
        return namespace.run(List.of("nft", "-f", "-"), script);
    }

    @Override
    public HealthReport probe() {
        String version;
        try {
            version = Exec.run(List.of("nft", "-v"), null).orThrow().strip();
        } catch (DriverException e) {
            return HealthReport.unusable("nftables (nft) is missing: " + e.getMessage());
        }
        if (!BridgeHooks.loadBrNetfilter()) {
            return HealthReport.unusable(version + "; br_netfilter is not available (modprobe br_netfilter "
                    + "failed): security groups could not be stateful");
        }
        // A throwaway namespace, so that the check touches nothing that exists.
        String scratch = HostChecks.probeNamespace();
        try {
            Exec.run(List.of("ip", "netns", "add", scratch), null).orThrow();
            Namespace namespace = new Namespace(scratch);
            Exec.Result loaded = nft(namespace, Transaction.replacement(SecurityGroups.tables(List.of())));
            if (!loaded.ok()) {
                return HealthReport.unusable(version + "; the security group tables do not load: "
                        + loaded.stderr().strip());
            }
            // Only reported: br_netfilter serves every kernel, nf_conntrack_bridge is often not built.
            boolean bridgeConntrack = nft(namespace, "add table bridge gcp_probe\n"
                    + "add chain bridge gcp_probe c\n"
                    + "add rule bridge gcp_probe c ct state established accept\n").ok();
            return HealthReport.ok(version + "; stateful security groups through br_netfilter with a conntrack "
                    + "zone per subnet bridge (bridge-family conntrack "
                    + (bridgeConntrack ? "available too" : "unavailable: no nf_conntrack_bridge")
                    + "); stateless ACLs in router namespaces; host: " + host.describe());
        } catch (DriverException e) {
            return HealthReport.unusable(version + "; cannot check nftables in a network namespace: "
                    + e.getMessage());
        } finally {
            Exec.run(List.of("ip", "netns", "delete", scratch), null);
        }
    }
}
