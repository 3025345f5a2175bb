package io.goncloud.driver.network.common;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A policy routing rule sending what arrives on a subnet's router leg to that subnet's route table. */
public record RuleSpec(int priority, String iif, int table) {

    /**
     * After the main table (32766), which holds only the connected routes of the VPC's subnets: traffic
     * inside the VPC therefore never depends on the route table ("local routes need nothing"), and only
     * what main cannot reach is looked up in the subnet's table.
     */
    public static final int PRIORITY = 40000;

    public String add() {
        return "rule add pref " + priority + " iif " + iif + " table " + table;
    }

    public String delete() {
        return "rule del pref " + priority + " iif " + iif + " table " + table;
    }

    /** The rules of one {@code rule show} answer that steer an interface into a numbered table. */
    public static Set<RuleSpec> parseOwn(Object answer) {
        Set<RuleSpec> rules = new LinkedHashSet<>();
        for (Map<String, Object> entry : Json.objects(answer)) {
            Object table = entry.get("table");
            Object iif = entry.get("iif");
            if (iif != null && table != null && String.valueOf(table).chars().allMatch(Character::isDigit)) {
                rules.add(new RuleSpec(((Number) entry.get("priority")).intValue(), (String) iif,
                        Integer.parseInt(String.valueOf(table))));
            }
        }
        return rules;
    }
}
