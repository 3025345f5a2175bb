package io.goncloud.driver.network.common.testing;

/**
 * How a network driver's suite puts its driver on a fake host, for the shared scenarios
 * ({@link NetworkDriverScenarios}, {@link OverlayScenarios}).
 *
 * @param <H> the driver's host, with whatever its own tests need beyond {@link DriverHost}
 */
public interface NetworkDriverFactory<H extends DriverHost> {

    /**
     * The driver managing the namespace {@code host} of {@code lab}, its DHCP servers' state in
     * {@code dhcpStateDir}; what it starts for that (daemons of its switch) must stop when the lab closes.
     */
    H manage(NetnsLab lab, String host, String dhcpStateDir);

    /** Skips the suite unless what the driver needs beyond iproute2 is installed. */
    default void assumeUsable() {
    }

    /** Removes what interrupted runs of a suite of {@code names} left beyond namespaces (daemons, files). */
    default void removeLeftovers(LabNames names) {
    }
}
