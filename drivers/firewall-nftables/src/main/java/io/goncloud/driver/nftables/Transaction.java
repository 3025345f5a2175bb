package io.goncloud.driver.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders tables as one {@code nft -f} script: nft commits a whole script atomically, so no packet sees
 * a half-applied policy and conntrack entries (hence established flows) live on across it.
 */
final class Transaction {

    private Transaction() {
    }

    /**
     * Brings the tables from what they hold ({@code observed}, by {@link NftTable#id}; absent for a
     * missing table) to what they should, with only what differs: new chains, changed elements, stale
     * chains deleted last.
     */
    static String incremental(List<NftTable> tables, Map<String, Observed> observed) {
        StringBuilder script = new StringBuilder();
        for (NftTable table : tables) {
            update(script, table, observed.getOrDefault(table.id(), Observed.NOTHING));
        }
        return script.toString();
    }

    /** Replaces the tables whole: the way out when the incremental update meets an unexpected table. */
    static String replacement(List<NftTable> tables) {
        StringBuilder script = new StringBuilder();
        for (NftTable table : tables) {
            // Adding first makes the delete unconditional.
            script.append("add table ").append(table.id()).append('\n');
            script.append("delete table ").append(table.id()).append('\n');
            update(script, table, Observed.NOTHING);
        }
        return script.toString();
    }

    private static void update(StringBuilder script, NftTable table, Observed existing) {
        String id = table.id();
        script.append("add table ").append(id).append('\n');
        for (NftTable.Collection collection : table.collections()) {
            if (!existing.elements().containsKey(collection.name())) {
                script.append("add ").append(collection.kind()).append(' ').append(id).append(' ')
                        .append(collection.name()).append(" { type ").append(collection.type()).append("; }\n");
            }
        }
        for (NftTable.Chain chain : table.chains()) {
            if (!existing.chains().contains(chain.name())) {
                script.append("add chain ").append(id).append(' ').append(chain.name()).append('\n');
                appendRules(script, id, chain.name(), chain.rules());
            }
        }
        for (NftTable.BaseChain chain : table.baseChains()) {
            if (!existing.chains().contains(chain.name())) {
                script.append("add chain ").append(id).append(' ').append(chain.name())
                        .append(" { ").append(chain.hook()).append(" }\n");
                appendRules(script, id, chain.name(), chain.rules());
            }
        }
        for (NftTable.Collection collection : table.collections()) {
            updateElements(script, id, collection, existing.elements().getOrDefault(collection.name(), Set.of()));
        }
        // Last: by now nothing refers to the chains that are no longer wanted. Flushed first, so that
        // chains jumping to each other can go in any order.
        Set<String> wanted = new HashSet<>();
        table.chains().forEach(c -> wanted.add(c.name()));
        table.baseChains().forEach(c -> wanted.add(c.name()));
        List<String> stale = existing.chains().stream().filter(name -> !wanted.contains(name)).sorted().toList();
        stale.forEach(name -> script.append("flush chain ").append(id).append(' ').append(name).append('\n'));
        stale.forEach(name -> script.append("delete chain ").append(id).append(' ').append(name).append('\n'));
    }

    /** Deletes the elements that are gone or lead elsewhere now, then adds the new ones. */
    private static void updateElements(StringBuilder script, String id, NftTable.Collection collection,
                                       Set<String> existing) {
        Set<String> desired = new HashSet<>(collection.elements());
        List<String> stale = new ArrayList<>();
        existing.stream().filter(e -> !desired.contains(e)).sorted().forEach(e -> stale.add(key(e)));
        List<String> added = collection.elements().stream().filter(e -> !existing.contains(e)).toList();
        if (!stale.isEmpty()) {
            script.append("delete element ").append(id).append(' ').append(collection.name())
                    .append(" { ").append(String.join(", ", stale)).append(" }\n");
        }
        if (!added.isEmpty()) {
            script.append("add element ").append(id).append(' ').append(collection.name())
                    .append(" { ").append(String.join(", ", added)).append(" }\n");
        }
    }

    /** The key of a set or map element ({@code "k" : jump c} → {@code "k"}). */
    private static String key(String element) {
        int colon = element.indexOf(" : ");
        return colon < 0 ? element : element.substring(0, colon);
    }

    private static void appendRules(StringBuilder script, String id, String chain, List<String> rules) {
        for (String rule : rules) {
            script.append("add rule ").append(id).append(' ').append(chain).append(' ').append(rule).append('\n');
        }
    }
}
