package io.goncloud.driver.network.common.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What every network driver suite starts with: its names, the driver's factory, a one-time check that this
 * machine can run it (root, namespaces, the driver's tools), which also sweeps what interrupted runs left, and a
 * fresh lab for each test, closed after it.
 *
 * @param <H> the driver's host
 * @param <L> the lab
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // so that the one-time check can ask the suite for its names
public abstract class NetworkDriverSuite<H extends DriverHost, L extends NetnsLab> {

    protected final LabNames names;
    protected final NetworkDriverFactory<H> factory;
    protected L lab;

    protected NetworkDriverSuite(LabNames names, NetworkDriverFactory<H> factory) {
        this.names = names;
        this.factory = factory;
    }

    @BeforeAll
    void requireNamespacesAndTheDriversTools() {
        names.assumeNamespacesWork();
        factory.assumeUsable();
        factory.removeLeftovers(names);
        names.removeLeftovers();
    }

    /** A new lab of the suite's names. */
    protected abstract L newLab();

    @BeforeEach
    void openLab() {
        lab = newLab();
    }

    @AfterEach
    void closeLab() {
        lab.close();
    }
}
