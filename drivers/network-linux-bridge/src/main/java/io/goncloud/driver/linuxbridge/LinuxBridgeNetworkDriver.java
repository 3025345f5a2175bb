package io.goncloud.driver.linuxbridge;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.NetworkDriver;
import io.goncloud.driver.network.common.DhcpServers;
import io.goncloud.driver.network.common.HostChecks;
import io.goncloud.driver.network.common.Netns;
import io.goncloud.driver.network.common.Reconciler;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Subnets as Linux bridges, VPC routers as network namespaces, ports as veth pairs, all made with
 * iproute2; NAT for internet access with nftables inside the routers. See {@link Reconciler} for how a
 * pass converges, {@link LinuxBridgeHost} for the host side, {@code Desired} for the layout.
 */
@Component(service = NetworkDriver.class, configurationPid = LinuxBridgeNetworkDriver.PID,
        property = Driver.PROPERTY_DRIVER_NAME + "=" + LinuxBridgeNetworkDriver.NAME)
@Designate(ocd = LinuxBridgeNetworkDriver.Config.class)
public class LinuxBridgeNetworkDriver implements NetworkDriver {

    static final String NAME = "linux-bridge";
    static final String PID = "io.goncloud.driver.linuxbridge";

    @ObjectClassDefinition(name = "GCP network driver: Linux bridge")
    public @interface Config {
        @AttributeDefinition(description = "Existing network namespace that stands for the host (its bridges and "
                + "ports are made there); empty for the namespace of the process. Router namespaces are named "
                + "namespaces either way.")
        String host_netns() default "";

        @AttributeDefinition(description = "Directory of the routers' DHCP servers (dnsmasq hosts files, pid "
                + "files, logs), one subdirectory per VPC and subnet.")
        String dhcp_state_dir() default DhcpServers.DEFAULT_STATE_DIR;

        @AttributeDefinition(description = "Name marking the router namespaces this host makes; other hosts on the "
                + "same machine (named namespaces are machine-wide, e.g. scripts/cluster.sh) leave them alone. "
                + "Empty: the host namespace's name")
        String owner() default "";
    }

    private final Netns host;
    private final Reconciler reconciler;

    @Activate
    public LinuxBridgeNetworkDriver(Config config) {
        this(config.host_netns(), config.dhcp_state_dir(), config.owner());
    }

    LinuxBridgeNetworkDriver(String hostNetns, String dhcpStateDir) {
        this(hostNetns, dhcpStateDir, null);
    }

    LinuxBridgeNetworkDriver(String hostNetns, String dhcpStateDir, String owner) {
        host = hostNetns == null || hostNetns.isBlank() ? Netns.own() : Netns.named(hostNetns.strip());
        reconciler = new Reconciler(host, new LinuxBridgeHost(host), new DhcpServers(dhcpStateDir), owner);
    }

    @Override
    public DriverInfo info() {
        return new DriverInfo(NAME, DriverKind.NETWORK, "0.1.0",
                Set.of("segment:linux-bridge", "router:netns", "nat:nftables", "dhcp:dnsmasq", "overlapping-cidrs"));
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
            HostChecks.namespacesAndBridges();
            HostChecks.hostNamespace(host);
            String nft = HostChecks.nftables();
            String dhcp = DhcpServers.describe();
            return HealthReport.ok(ip + "; bridges and namespaces work; " + nft + " for NAT; " + dhcp
                    + "; host: " + host.describe());
        } catch (DriverException e) {
            return HealthReport.unusable((ip.isEmpty() ? "" : ip + "; ") + e.getMessage());
        }
    }
}
