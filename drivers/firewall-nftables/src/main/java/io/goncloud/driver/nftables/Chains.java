package io.goncloud.driver.nftables;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chain names of every table of a namespace, from {@code nft list chains} (no rules: cheap). */
final class Chains {

    private static final Pattern TABLE = Pattern.compile("^table (\\S+) (\\S+) \\{");
    private static final Pattern CHAIN = Pattern.compile("^\\s+chain (\\S+) \\{");

    private Chains() {
    }

    /** By table ({@code family name}), its chains. */
    static Map<String, Set<String>> list(Namespace namespace) {
        String listing = namespace.run(List.of("nft", "list", "chains"), null).orThrow();
        Map<String, Set<String>> chains = new HashMap<>();
        Set<String> current = null;
        for (String line : listing.lines().toList()) {
            Matcher table = TABLE.matcher(line);
            Matcher chain = CHAIN.matcher(line);
            if (table.find()) {
                current = chains.computeIfAbsent(table.group(1) + " " + table.group(2), t -> new HashSet<>());
            } else if (chain.find() && current != null) {
                current.add(chain.group(1));
            }
        }
        return chains;
    }
}
