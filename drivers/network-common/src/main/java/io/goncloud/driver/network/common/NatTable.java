package io.goncloud.driver.network.common;

import io.goncloud.api.spi.network.HostNetwork.PublicIpMapping;
import java.util.List;

/**
 * The nftables table {@value #NAME} of a VPC router attached to the internet: outbound NAT of the VPC
 * block to the uplink address, and one-to-one NAT of public addresses. Replaced whole in one
 * transaction; conntrack keeps the NAT bindings of established flows across the replacement.
 */
public record NatTable(String uplink, String uplinkAddress, String vpcCidr, List<PublicIpMapping> publicIps) {

    public static final String NAME = "gcp_nat";

    /** Deletes the table if it exists (creating it first makes the delete unconditional). */
    public static String removal() {
        return "table ip " + NAME + "\ndelete table ip " + NAME + "\n";
    }

    public String script() {
        String quotedUplink = '"' + uplink + '"';
        return removal()
                + "table ip " + NAME + " {\n"
                + map("public_to_private", publicIps.stream().map(m -> m.publicIp() + " : " + m.privateIp()).toList())
                + map("private_to_public", publicIps.stream().map(m -> m.privateIp() + " : " + m.publicIp()).toList())
                + "  chain prerouting {\n"
                + "    type nat hook prerouting priority dstnat; policy accept;\n"
                + "    iifname " + quotedUplink + " dnat to ip daddr map @public_to_private\n"
                + "  }\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                // A public address is the instance's own source; everything else leaves as the router.
                + "    oifname " + quotedUplink + " snat to ip saddr map @private_to_public\n"
                + "    oifname " + quotedUplink + " ip saddr " + vpcCidr + " snat to " + uplinkAddress + "\n"
                + "  }\n"
                + "}\n";
    }

    private static String map(String name, List<String> elements) {
        return "  map " + name + " {\n"
                + "    type ipv4_addr : ipv4_addr\n"
                + (elements.isEmpty() ? "" : "    elements = { " + String.join(", ", elements) + " }\n")
                + "  }\n";
    }
}
