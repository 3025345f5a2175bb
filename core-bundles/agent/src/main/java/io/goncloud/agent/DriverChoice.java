package io.goncloud.agent;

import io.goncloud.api.spi.Driver;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Picks the driver to use among those registered: the one named in configuration, or else the first
 * (by name) whose probe says it can work on this host. Never a driver known by class or hard-coded name.
 */
final class DriverChoice {

    private DriverChoice() {
    }

    static <D extends Driver> Optional<D> choose(Collection<D> drivers, String configuredName, DriverHealth health) {
        if (configuredName != null && !configuredName.isBlank()) {
            return drivers.stream().filter(d -> d.info().name().equals(configuredName.strip())).findFirst();
        }
        return drivers.stream()
                .sorted(Comparator.comparing(d -> d.info().name()))
                .filter(health::usable)
                .findFirst();
    }
}
