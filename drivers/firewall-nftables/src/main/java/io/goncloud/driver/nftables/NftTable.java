package io.goncloud.driver.nftables;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The complete desired content of one nftables table the driver owns.
 *
 * <p>Regular chains are named after their content ({@link #contentName}), so a chain that exists under
 * its name is already right: a change adds the chains whose rules changed, repoints the maps to them and
 * deletes the old ones, whatever the number of other rules installed.
 *
 * @param baseChains  chains attached to hooks, rewritten on every commit (they are a handful of rules)
 * @param collections named sets and maps, refilled on every commit (one element per port or subnet)
 * @param chains      content-named regular chains, reached through the maps
 */
record NftTable(String family, String name, List<BaseChain> baseChains, List<Collection> collections,
                List<Chain> chains) {

    /** @param hook e.g. {@code type filter hook forward priority filter; policy accept;} */
    record BaseChain(String name, String hook, List<String> rules) {
    }

    record Chain(String name, List<String> rules) {
    }

    /** @param kind {@code set} or {@code map}; @param type e.g. {@code ifname : verdict} */
    record Collection(String kind, String name, String type, List<String> elements) {
    }

    String id() {
        return family + " " + name;
    }

    /** {@code prefix} and a digest of {@code rules}: equal names mean equal rules. */
    static String contentName(String prefix, List<String> rules) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", rules).getBytes(StandardCharsets.UTF_8));
            return prefix + "_" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
