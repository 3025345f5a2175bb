package io.goncloud.driver.nftables;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The complete desired content of one nftables table the driver owns.
 *
 * <p>Every chain, base chains included, is named after its content ({@link #contentName}), so a chain
 * that exists under its name is already right: a change adds the chains whose rules changed, repoints
 * the map elements that lead to them and deletes the old ones, whatever the number of other rules
 * installed. Set and map elements are diffed against the kernel's ({@link Transaction}).
 *
 * @param baseChains  chains attached to hooks
 * @param collections named sets and maps (one element per port or subnet)
 * @param chains      regular chains, each after the chains it jumps to
 */
record NftTable(String family, String name, List<BaseChain> baseChains, List<Collection> collections,
                List<Chain> chains) {

    /** @param hook e.g. {@code type filter hook forward priority filter; policy accept;} */
    record BaseChain(String name, String hook, List<String> rules) {

        /** A base chain named {@code prefix} and a digest of its hook and rules. */
        static BaseChain of(String prefix, String hook, List<String> rules) {
            List<String> content = new ArrayList<>(rules);
            content.add(hook);
            return new BaseChain(contentName(prefix, content), hook, rules);
        }
    }

    record Chain(String name, List<String> rules) {
    }

    /**
     * @param kind     {@code set} or {@code map}
     * @param type     e.g. {@code ifname : verdict}
     * @param elements as {@code nft list} prints them: {@code "gcpp…"}, or {@code "gcpp…" : jump chain}
     */
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
