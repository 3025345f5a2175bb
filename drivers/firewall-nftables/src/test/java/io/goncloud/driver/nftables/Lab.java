package io.goncloud.driver.nftables;

import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;

/**
 * The shared namespace lab ({@link NetnsLab}) with the names this suite has always used (the Linux-bridge
 * driver's tests use the same): namespaces {@code gcpt<pid>-...}, platform ids {@code ...-7e57-4000-8000-<pid>}.
 * The hosts it builds are laid out by {@link Worker}.
 */
final class Lab extends NetnsLab {

    static final LabNames NAMES = new LabNames("gcpt", "7e57");

    Lab() {
        super(NAMES);
    }
}
