package io.goncloud.driver.ovs;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.NetworkDriver;
import io.goncloud.driver.network.common.DhcpServers;
import io.goncloud.driver.network.common.Exec;
import io.goncloud.driver.network.common.HostChecks;
import io.goncloud.driver.network.common.Json;
import io.goncloud.driver.network.common.Netns;
import io.goncloud.driver.network.common.Reconciler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Subnets as Open vSwitch bridges, VPC routers as network namespaces (the same routers, routes and NAT
 * as the Linux-bridge driver: {@link Reconciler}), ports hybrid-plugged so that the nftables firewall
 * sees them on a Linux bridge: see {@link OvsHost} for how a pass converges, {@link OvsNames} for the
 * layout. The driver does not start Open vSwitch: ovsdb-server and ovs-vswitchd must run, ovs-vswitchd
 * in the host namespace.
 */
@Component(service = NetworkDriver.class, configurationPid = OvsNetworkDriver.PID,
        property = Driver.PROPERTY_DRIVER_NAME + "=" + OvsNetworkDriver.NAME)
@Designate(ocd = OvsNetworkDriver.Config.class)
public class OvsNetworkDriver implements NetworkDriver {

    static final String NAME = "openvswitch";
    static final String PID = "io.goncloud.driver.ovs";
    static final String DEFAULT_OVSDB = "unix:/var/run/openvswitch/db.sock";

    private static final Pattern DATAPATH_TYPE = Pattern.compile("[a-z0-9_-]{1,32}");

    /** Key of the Open_vSwitch row the probe rewrites, to see ovs-vswitchd reconfigure. */
    private static final String PROBE_KEY = "external_ids:gcp-probe";

    @ObjectClassDefinition(name = "GCP network driver: Open vSwitch")
    public @interface Config {
        @AttributeDefinition(description = "Existing network namespace that stands for the host (its bridges and "
                + "ports are made there, and ovs-vswitchd must run there); empty for the namespace of the process. "
                + "Router namespaces are named namespaces either way.")
        String host_netns() default "";

        @AttributeDefinition(description = "OVS datapath of the subnet bridges: netdev (userspace; needs "
                + "other_config:userspace-tso-enable=true) or system (the kernel module).")
        String datapath_type() default "netdev";

        @AttributeDefinition(description = "How ovs-vsctl reaches ovsdb-server (its --db), e.g. "
                + DEFAULT_OVSDB + ".")
        String ovsdb_remote() default DEFAULT_OVSDB;

        @AttributeDefinition(description = "Directory of the routers' DHCP servers (dnsmasq hosts files, pid "
                + "files, logs), one subdirectory per VPC and subnet.")
        String dhcp_state_dir() default DhcpServers.DEFAULT_STATE_DIR;

        @AttributeDefinition(description = "Name marking the router namespaces this host makes; other hosts on the "
                + "same machine (named namespaces are machine-wide, e.g. scripts/cluster.sh) leave them alone. "
                + "Empty: the host namespace's name")
        String owner() default "";
    }

    private final Netns host;
    private final Ovsdb ovsdb;
    private final String datapathType;
    private final Reconciler reconciler;

    @Activate
    public OvsNetworkDriver(Config config) {
        this(config.host_netns(), config.datapath_type(), config.ovsdb_remote(), config.dhcp_state_dir(),
                config.owner());
    }

    OvsNetworkDriver(String hostNetns, String datapathType, String ovsdbRemote, String dhcpStateDir) {
        this(hostNetns, datapathType, ovsdbRemote, dhcpStateDir, null);
    }

    OvsNetworkDriver(String hostNetns, String datapathType, String ovsdbRemote, String dhcpStateDir, String owner) {
        host = hostNetns == null || hostNetns.isBlank() ? Netns.own() : Netns.named(hostNetns.strip());
        this.datapathType = datapathType == null || datapathType.isBlank() ? "netdev" : datapathType.strip();
        if (!DATAPATH_TYPE.matcher(this.datapathType).matches()) {
            throw new DriverException("invalid OVS datapath type: " + datapathType);
        }
        ovsdb = new Ovsdb(ovsdbRemote == null || ovsdbRemote.isBlank() ? DEFAULT_OVSDB : ovsdbRemote.strip());
        reconciler = new Reconciler(host, new OvsHost(host, ovsdb, this.datapathType), new DhcpServers(dhcpStateDir),
                owner);
    }

    @Override
    public DriverInfo info() {
        return new DriverInfo(NAME, DriverKind.NETWORK, "0.1.0", Set.of("segment:openvswitch",
                "port:hybrid-linux-bridge", "router:netns", "nat:nftables", "dhcp:dnsmasq", "overlapping-cidrs"));
    }

    /** One pass at a time: two interleaved passes would each see the other's half-done work as drift. */
    @Override
    public synchronized AppliedNetwork apply(HostNetwork desired) {
        return reconciler.apply(desired);
    }

    @Override
    public synchronized AppliedNetwork applyChanges(HostNetwork desired) {
        return reconciler.applyChanges(desired);
    }

    @Override
    public HealthReport probe() {
        String ip = "";
        try {
            ip = HostChecks.iproute2();
            String ovs = probeOvs();
            HostChecks.namespacesAndBridges();
            HostChecks.hostNamespace(host);
            String nft = HostChecks.nftables();
            String dhcp = DhcpServers.describe();
            return HealthReport.ok(ip + "; " + ovs + "; namespaces and bridges work; " + nft + " for NAT; " + dhcp
                    + "; host: " + host.describe());
        } catch (DriverException e) {
            return HealthReport.unusable((ip.isEmpty() ? "" : ip + "; ") + e.getMessage());
        }
    }

    /** What Open vSwitch says about itself; throws what is missing. */
    private String probeOvs() {
        String version;
        try {
            version = Exec.run(List.of("ovs-vsctl", "--version"), null).orThrow().lines().findFirst().orElse("")
                    .strip();
        } catch (DriverException e) {
            throw new DriverException("Open vSwitch (ovs-vsctl) is missing: " + e.getMessage(), e);
        }
        List<Object> answers;
        try {
            answers = Json.parseAll(Exec.run(List.of("ovs-vsctl", "--db=" + ovsdb.remote(), "--timeout=5",
                    "-f", "json", "-d", "json", "--columns=datapath_types,other_config", "list", "Open_vSwitch"),
                    null).orThrow());
        } catch (DriverException e) {
            throw new DriverException(version + ", but ovs-vsctl cannot reach ovsdb at " + ovsdb.remote() + " ("
                    + e.getMessage().replaceFirst("(?s)^.*failed \\(exit \\d+\\): ", "")
                    + "): start ovsdb-server and ovs-vswitchd (the driver does not start Open vSwitch)", e);
        }
        List<List<Object>> rows = answers.isEmpty() ? List.of() : Ovsdb.rows(answers.get(0));
        if (rows.isEmpty()) {
            throw new DriverException(version + "; ovsdb at " + ovsdb.remote() + " has no Open_vSwitch row "
                    + "(ovs-vsctl init was never run)");
        }
        List<Object> datapaths = Ovsdb.set(rows.get(0).get(0));
        Map<String, String> otherConfig = Ovsdb.map(rows.get(0).get(1));
        if (!datapaths.contains(datapathType)) {
            throw new DriverException(version + "; ovs-vswitchd has not registered the '" + datapathType
                    + "' datapath in ovsdb at " + ovsdb.remote() + " (never started, or without that datapath; it "
                    + "offers " + datapaths + ")");
        }
        try {
            // A change ovs-vsctl waits for: only a running ovs-vswitchd acknowledges it.
            Exec.Result touched = Exec.run(List.of("ovs-vsctl", "--db=" + ovsdb.remote(), "--timeout=5", "set",
                    "Open_vSwitch", ".", PROBE_KEY + "=" + System.nanoTime()), null);
            touched.orThrow();
        } catch (DriverException e) {
            throw new DriverException(version + "; ovsdb at " + ovsdb.remote() + " answers but ovs-vswitchd does "
                    + "not apply changes (not running?)", e);
        }
        if ("netdev".equals(datapathType) && !"true".equals(otherConfig.get("userspace-tso-enable"))) {
            throw new DriverException(version + "; other_config:userspace-tso-enable is not true: TCP through the "
                    + "userspace datapath stalls on this kernel. Run ovs-vsctl set Open_vSwitch . "
                    + "other_config:userspace-tso-enable=true and restart ovs-vswitchd");
        }
        return version + " (ovsdb " + ovsdb.remote() + ", datapath " + datapathType
                + ("netdev".equals(datapathType) ? ", userspace TSO on" : "") + ")";
    }
}
