package io.goncloud.driver.nftables;

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
     * Brings the tables from what they are ({@code existingChains}: chain names per {@link NftTable#id},
     * absent for a missing table) to what they should be, touching only what changed.
     */
    static String incremental(List<NftTable> tables, Map<String, Set<String>> existingChains) {
        StringBuilder script = new StringBuilder();
        for (NftTable table : tables) {
            update(script, table, existingChains.getOrDefault(table.id(), Set.of()));
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
            update(script, table, Set.of());
        }
        return script.toString();
    }

    private static void update(StringBuilder script, NftTable table, Set<String> existing) {
        String id = table.id();
        script.append("add table ").append(id).append('\n');
        for (NftTable.Collection collection : table.collections()) {
            script.append("add ").append(collection.kind()).append(' ').append(id).append(' ')
                    .append(collection.name()).append(" { type ").append(collection.type()).append("; }\n");
        }
        for (NftTable.Chain chain : table.chains()) {
            if (!existing.contains(chain.name())) {
                script.append("add chain ").append(id).append(' ').append(chain.name()).append('\n');
                appendRules(script, id, chain.name(), chain.rules());
            }
        }
        for (NftTable.BaseChain chain : table.baseChains()) {
            script.append("add chain ").append(id).append(' ').append(chain.name())
                    .append(" { ").append(chain.hook()).append(" }\n");
            script.append("flush chain ").append(id).append(' ').append(chain.name()).append('\n');
            appendRules(script, id, chain.name(), chain.rules());
        }
        for (NftTable.Collection collection : table.collections()) {
            script.append("flush ").append(collection.kind()).append(' ').append(id).append(' ')
                    .append(collection.name()).append('\n');
            if (!collection.elements().isEmpty()) {
                script.append("add element ").append(id).append(' ').append(collection.name())
                        .append(" { ").append(String.join(", ", collection.elements())).append(" }\n");
            }
        }
        // Last: by now nothing refers to the chains that are no longer wanted.
        Set<String> wanted = new java.util.HashSet<>();
        table.chains().forEach(c -> wanted.add(c.name()));
        table.baseChains().forEach(c -> wanted.add(c.name()));
        existing.stream().filter(name -> !wanted.contains(name)).sorted()
                .forEach(name -> script.append("delete chain ").append(id).append(' ').append(name).append('\n'));
    }

    private static void appendRules(StringBuilder script, String id, String chain, List<String> rules) {
        for (String rule : rules) {
            script.append("add rule ").append(id).append(' ').append(chain).append(' ').append(rule).append('\n');
        }
    }
}
