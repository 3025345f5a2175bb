package io.goncloud.driver.linuxbridge;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.DriverException;
import io.goncloud.api.spi.DriverInfo;
import io.goncloud.api.spi.DriverKind;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.network.AppliedNetwork;
import io.goncloud.api.spi.network.HostNetwork;
import io.goncloud.api.spi.network.NetworkDriver;
import io.goncloud.driver.network.common.Exec;
import io.goncloud.driver.network.common.Netns;
import io.goncloud.driver.network.common.Reconciler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
    }

    private final Netns host;
    private final Reconciler reconciler;

    @Activate
    public LinuxBridgeNetworkDriver(Config config) {
        this(config.host_netns());
    }

    LinuxBridgeNetworkDriver(String hostNetns) {
        host = hostNetns == null || hostNetns.isBlank() ? Netns.own() : Netns.named(hostNetns.strip());
        reconciler = new Reconciler(host, new LinuxBridgeHost(host));
    }

    @Override
    public DriverInfo info() {
        return new DriverInfo(NAME, DriverKind.NETWORK, "0.1.0",
                Set.of("segment:linux-bridge", "router:netns", "nat:nftables", "overlapping-cidrs"));
    }

    /** One pass at a time: two interleaved passes would each see the other's half-done work as drift. */
    @Override
    public synchronized AppliedNetwork apply(HostNetwork desired) {
        return reconciler.apply(desired);
    }

    @Override
    public HealthReport probe() {
        Exec.Result version;
        try {
            version = Exec.run(List.of("ip", "-V"), null);
        } catch (DriverException e) {
            return HealthReport.unusable("iproute2 is missing: " + e.getMessage());
        }
        String ip = version.stdout().strip();
        // A throwaway namespace, so that the check touches nothing that exists.
        String scratch = "gcpprobe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        try {
            Netns.add(scratch);
            Netns.named(scratch).batch(List.of("link add gcpbprobe type bridge", "link set gcpbprobe up"));
        } catch (DriverException e) {
            return HealthReport.unusable(ip + "; cannot create network namespaces and bridges: " + e.getMessage());
        } finally {
            Exec.run(List.of("ip", "netns", "delete", scratch), null);
        }
        if (host.name() != null && !Netns.list().contains(host.name())) {
            return HealthReport.unusable("the configured host namespace " + host.name() + " does not exist");
        }
        String nft;
        try {
            nft = Exec.run(List.of("nft", "-v"), null).orThrow().strip();
        } catch (DriverException e) {
            return HealthReport.unusable(ip + "; bridges and namespaces work, but nftables (nft) is missing: "
                    + "no NAT for internet gateways and public addresses");
        }
        return HealthReport.ok(ip + "; bridges and namespaces work; " + nft + " for NAT; host: " + host.describe());
    }
}
