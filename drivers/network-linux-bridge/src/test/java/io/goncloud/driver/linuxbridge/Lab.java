package io.goncloud.driver.linuxbridge;

import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;

/**
 * The shared namespace lab ({@link NetnsLab}) with this suite's names: namespaces {@code gcpt<pid>-...},
 * platform ids {@code ...-7e57-4000-8000-<pid>}; its leftovers are removed only by a suite of these names.
 */
final class Lab extends NetnsLab {

    static final LabNames NAMES = new LabNames("gcpt", "7e57");

    Lab() {
        super(NAMES);
    }
}
