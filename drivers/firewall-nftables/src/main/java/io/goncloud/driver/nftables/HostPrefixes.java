package io.goncloud.driver.nftables;

import io.goncloud.api.spi.network.HostNames;
import java.util.List;
import java.util.function.UnaryOperator;

/** Wildcards for interface names the network drivers give, derived from {@link HostNames} to stay in step. */
final class HostPrefixes {

    private static final String SAMPLE_ID = "0".repeat(32);

    /** Every subnet bridge, e.g. for {@code iifname "gcpb*"}. */
    static final String SUBNET_BRIDGES = prefix(HostNames::subnetBridge);

    /**
     * Every per-port bridge of a hybrid plug: a network driver whose segments the firewall cannot see
     * (Open vSwitch) puts each port device on a Linux bridge of its own, named {@code gcpq} and the port's
     * short id. Not in {@link HostNames} (yet), hence spelled here.
     */
    static final String PORT_BRIDGES = "gcpq";

    /** Every Linux bridge whose bridged IPv4 the security groups track: subnet and per-port bridges. */
    static final List<String> TRACKED_BRIDGES = List.of(SUBNET_BRIDGES, PORT_BRIDGES);

    /** Every port device. */
    static final String PORT_DEVICES = prefix(HostNames::portDevice);

    static final String ROUTER_NAMESPACES = HostNames.routerNamespace("");

    private HostPrefixes() {
    }

    /** The name without its id part: what every name of that kind starts with. */
    private static String prefix(UnaryOperator<String> naming) {
        String name = naming.apply(SAMPLE_ID);
        return name.substring(0, name.length() - HostNames.shortId(SAMPLE_ID).length());
    }

    static String wildcard(String prefix) {
        return '"' + prefix + "*\"";
    }
}
