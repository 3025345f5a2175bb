package io.goncloud.api.spi;

import java.util.Set;

/**
 * Identity and capabilities of a driver.
 *
 * @param name         short stable name, e.g. {@code docker}, {@code linux-bridge}; unique per kind
 * @param kind         which SPI it implements
 * @param version      the driver's own version
 * @param capabilities what it can do, as free-form tokens documented by each SPI (e.g. a compute
 *                     driver's image formats {@code image-format:docker-rootfs})
 */
public record DriverInfo(String name, DriverKind kind, String version, Set<String> capabilities) {

    public DriverInfo {
        capabilities = Set.copyOf(capabilities);
    }

    public boolean has(String capability) {
        return capabilities.contains(capability);
    }
}
