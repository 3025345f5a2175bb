package io.goncloud.driver.network.common;

import io.goncloud.api.spi.network.HostNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The interface names a network driver gives in the host namespace, derived from the naming functions
 * themselves (not from copies of their prefixes) so that they stay in step with {@link HostNames}.
 */
public final class OwnedNames {

    private static final String SAMPLE_ID = "0".repeat(32);

    /** The names of {@link HostNames} that live in the host namespace (or pass through it). */
    public static final List<UnaryOperator<String>> HOST_NAMES = List.of(HostNames::subnetBridge,
            HostNames::portDevice, HostNames::instanceSide, HostNames::routerLeg, HostNames::routerBridgeLeg,
            HostNames::routerUplink, HostNames::uplinkPeer);

    private OwnedNames() {
    }

    /** What every name of that kind starts with: the name without its id part. */
    public static String prefix(UnaryOperator<String> naming) {
        String name = naming.apply(SAMPLE_ID);
        return name.substring(0, name.length() - HostNames.shortId(SAMPLE_ID).length());
    }

    /** Exactly the names {@link HostNames} gives, plus those of {@code more} namings. */
    @SafeVarargs
    public static Pattern pattern(UnaryOperator<String>... more) {
        List<UnaryOperator<String>> namings = new ArrayList<>(HOST_NAMES);
        namings.addAll(List.of(more));
        return of(namings);
    }

    /** Exactly the names the {@code namings} give. */
    public static Pattern of(List<UnaryOperator<String>> namings) {
        int idChars = HostNames.shortId(SAMPLE_ID).length();
        String prefixes = namings.stream()
                .map(naming -> Pattern.quote(prefix(naming)))
                .collect(Collectors.joining("|"));
        return Pattern.compile("(?:" + prefixes + ")[0-9a-f]{" + idChars + "}");
    }
}
