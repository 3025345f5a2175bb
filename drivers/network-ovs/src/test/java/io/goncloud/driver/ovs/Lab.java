package io.goncloud.driver.ovs;

import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;

/**
 * The shared namespace lab ({@link NetnsLab}) with a fake worker host that has an Open vSwitch of its own
 * ({@link OvsDaemons}). Its names ({@code gcpto<pid>-...}, ids with {@code -0f5e-}) differ from the
 * Linux-bridge driver's tests' ({@code gcpt<pid>-}, ids with {@code -7e57-}), so that each cleans up only its own.
 */
final class Lab extends NetnsLab {

    static final LabNames NAMES = new LabNames("gcpto", "0f5e");

    Lab() {
        super(NAMES);
    }

    /**
     * Deletes what interrupted runs left: Open vSwitch daemons, test namespaces and routers of test VPCs
     * whose JVM is gone.
     */
    static void removeLeftovers() {
        OvsDaemons.removeLeftovers();
        NAMES.removeLeftovers();
    }

    /** A fake worker host: a namespace with its own ovsdb-server and ovs-vswitchd (running in it). */
    OvsDaemons host() {
        String host = namespace("host");
        OvsDaemons daemons = OvsDaemons.start(host);
        stopAtClose(daemons::stop);
        return daemons;
    }
}
