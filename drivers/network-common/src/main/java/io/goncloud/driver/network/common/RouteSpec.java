package io.goncloud.driver.network.common;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One route of a router's per-subnet table, in a form that compares equal whether it was derived from
 * the desired state or read back from the kernel.
 *
 * @param gateway null for routes without a next hop
 * @param dev     null when the kernel chooses
 */
public record RouteSpec(int table, String type, String destination, String gateway, String dev) {

    /** Tables the kernel owns: local, main, default (and unspec). */
    private static final Set<String> SYSTEM_TABLES =
            Set.of("local", "main", "default", "unspec", "0", "253", "254", "255");

    public String add() {
        // Gateways are declared on-link: an internet gateway is not on a connected network of the router
        // (the uplink address carries no prefix route, so the provider network is reachable only through
        // the routes of subnets that have one), and for instance next hops it is simply true.
        return "route add " + spec() + (gateway == null ? "" : " onlink");
    }

    public String delete() {
        return "route del " + spec();
    }

    private String spec() {
        return type + " " + destination + (gateway == null ? "" : " via " + gateway)
                + (dev == null ? "" : " dev " + dev) + " table " + table;
    }

    /** The routes of the driver's own tables in one {@code route show table all} answer. */
    public static Set<RouteSpec> parseOwnTables(Object answer) {
        Set<RouteSpec> routes = new LinkedHashSet<>();
        for (Map<String, Object> entry : Json.objects(answer)) {
            String table = String.valueOf(entry.getOrDefault("table", "main"));
            if (SYSTEM_TABLES.contains(table) || !table.chars().allMatch(Character::isDigit)) {
                continue;
            }
            routes.add(new RouteSpec(Integer.parseInt(table), String.valueOf(entry.getOrDefault("type", "unicast")),
                    Ipv4.network(String.valueOf(entry.get("dst"))), (String) entry.get("gateway"),
                    (String) entry.get("dev")));
        }
        return routes;
    }
}
