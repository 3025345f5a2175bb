package io.goncloud.api.spi;

/**
 * What every driver has in common. A driver is an OSGi service (typically a Declarative Services
 * component) registered under its SPI interface, e.g. {@code ComputeDriver}; core discovers drivers
 * through the service registry, picks one by configuration and by the capabilities it declares, and
 * copes with drivers arriving and leaving at any time. Core never refers to a driver class or name
 * in code.
 *
 * <p>Rules every driver follows:
 * <ul>
 *   <li>Every operation is idempotent: repeating a call with the same arguments converges to the same
 *       state and does not fail because the work was already done.</li>
 *   <li>The driver keeps no state of its own that cannot be re-derived from the host: after a restart
 *       of the process (or the driver bundle) it rediscovers what it made by name.</li>
 *   <li>Everything it creates on the host is named with the {@link #HOST_NAME_PREFIX} prefix, so that
 *       reconciliation can tell what the platform owns and never touches anything else.</li>
 *   <li>Failures are reported as {@link DriverException} with a message an operator can act on.</li>
 * </ul>
 */
public interface Driver {

    /** The prefix of every name a driver creates on a host (interfaces, namespaces, containers, tables...). */
    String HOST_NAME_PREFIX = "gcp";

    /** Service property naming the driver, so operators can pin one in configuration. */
    String PROPERTY_DRIVER_NAME = "gcp.driver.name";

    /** Describes this driver. Must be cheap and must not touch the host. */
    DriverInfo info();

    /**
     * Checks that what the driver needs on this host is present and usable (a daemon answers, a kernel
     * feature works). Core calls it before choosing the driver and reports the result to operators.
     */
    HealthReport probe();
}
