package io.goncloud.driver.network.common;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network interface as {@code ip -j -d addr show} reports it.
 *
 * @param index     the kernel's interface index: a recreated interface gets a new one
 * @param kind      {@code bridge}, {@code veth}, {@code tun}..., or null for plain devices such as lo
 * @param master    the bridge it is attached to, or null
 * @param addresses its IPv4 addresses as {@code address/prefix}
 * @param localPeer the other end of a veth whose both ends are in this namespace, else null
 * @param alias     its alias ({@code ifalias}), or null
 * @param mac       its MAC address, or null
 * @param mtu       its MTU, or 0 when not reported
 */
public record Link(String name, int index, String kind, String master, boolean up, Set<String> addresses,
                   String localPeer, String alias, String mac, int mtu) {

    public boolean is(String expectedKind) {
        return expectedKind.equals(kind);
    }

    /** The links of one {@code addr show} (or {@code link show}) answer, by name. */
    @SuppressWarnings("unchecked")
    public static Map<String, Link> parse(Object answer) {
        Map<String, Link> links = new LinkedHashMap<>();
        for (Map<String, Object> entry : Json.objects(answer)) {
            String name = (String) entry.get("ifname");
            List<Object> flags = (List<Object>) entry.getOrDefault("flags", List.of());
            Map<String, Object> info = (Map<String, Object>) entry.get("linkinfo");
            Set<String> addresses = new LinkedHashSet<>();
            for (Map<String, Object> address : Json.objects(entry.get("addr_info"))) {
                if ("inet".equals(address.get("family"))) {
                    addresses.add(address.get("local") + "/" + ((Number) address.get("prefixlen")).intValue());
                }
            }
            // "link" names the peer only when it is in the same namespace (else link_netnsid is set).
            String localPeer = entry.containsKey("link_netnsid") ? null : (String) entry.get("link");
            Object index = entry.get("ifindex");
            links.put(name, new Link(name, index instanceof Number n ? n.intValue() : 0,
                    info == null ? null : (String) info.get("info_kind"), (String) entry.get("master"),
                    flags.contains("UP"), addresses, localPeer, (String) entry.get("ifalias"),
                    (String) entry.get("address"), entry.get("mtu") instanceof Number mtu ? mtu.intValue() : 0));
        }
        return links;
    }
}
