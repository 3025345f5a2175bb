package io.goncloud.driver.nftables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one table holds in the kernel, as far as an incremental update needs it: its chain names and its
 * sets' and maps' elements, read with one {@code nft list sets; list maps; list chains} (no rules, so
 * the cost does not grow with the rules installed).
 *
 * @param elements by set or map name, its elements as nft prints them
 */
record Observed(Set<String> chains, Map<String, Set<String>> elements) {

    static final Observed NOTHING = new Observed(Set.of(), Map.of());

    private static final Pattern TABLE = Pattern.compile("^table (\\S+) (\\S+) \\{");
    private static final Pattern COLLECTION = Pattern.compile("^\\s+(?:set|map) (\\S+) \\{");
    private static final Pattern CHAIN = Pattern.compile("^\\s+chain (\\S+) \\{");
    private static final String ELEMENTS = "elements = {";

    /** What {@code observed} holds once {@code tables} are committed (other tables unchanged). */
    static Map<String, Observed> after(Map<String, Observed> observed, List<NftTable> tables) {
        Map<String, Observed> result = new HashMap<>(observed);
        for (NftTable table : tables) {
            Set<String> chains = new HashSet<>();
            table.chains().forEach(c -> chains.add(c.name()));
            table.baseChains().forEach(c -> chains.add(c.name()));
            Map<String, Set<String>> elements = new HashMap<>();
            table.collections().forEach(c -> elements.put(c.name(), Set.copyOf(c.elements())));
            result.put(table.id(), new Observed(chains, elements));
        }
        return result;
    }

    /** By table ({@code family name}), what it holds. */
    static Map<String, Observed> read(Namespace namespace) {
        return parse(namespace.run(List.of("nft", "-f", "-"), "list sets\nlist maps\nlist chains\n").orThrow());
    }

    static Map<String, Observed> parse(String listing) {
        Map<String, Observed> tables = new HashMap<>();
        Observed table = null;
        Set<String> collection = null;
        StringBuilder pending = null; // an element list spanning lines
        for (String line : listing.lines().toList()) {
            if (pending != null) {
                pending.append(' ').append(line.strip());
                if (line.strip().endsWith("}")) {
                    addElements(collection, pending.toString());
                    pending = null;
                }
                continue;
            }
            Matcher header = TABLE.matcher(line);
            Matcher named = COLLECTION.matcher(line);
            Matcher chain = CHAIN.matcher(line);
            if (header.find()) {
                table = tables.computeIfAbsent(header.group(1) + " " + header.group(2),
                        t -> new Observed(new HashSet<>(), new HashMap<>()));
            } else if (named.find() && table != null) {
                collection = table.elements().computeIfAbsent(named.group(1), n -> new HashSet<>());
            } else if (chain.find() && table != null) {
                table.chains().add(chain.group(1));
            } else if (line.strip().startsWith(ELEMENTS) && collection != null) {
                String elements = line.strip().substring(ELEMENTS.length());
                if (elements.strip().endsWith("}")) {
                    addElements(collection, elements);
                } else {
                    pending = new StringBuilder(elements);
                }
            }
        }
        return tables;
    }

    /** {@code "a", "b" : jump c }} → the elements, whitespace normalised as the driver writes them. */
    private static void addElements(Set<String> into, String list) {
        String body = list.strip();
        body = body.substring(0, body.length() - 1); // the closing brace
        List<String> elements = new ArrayList<>();
        for (String element : body.split(",")) {
            if (!element.isBlank()) {
                elements.add(element.strip().replaceAll("\\s+", " "));
            }
        }
        into.addAll(elements);
    }
}
