package io.goncloud.driver.linuxbridge;

import io.goncloud.driver.network.common.testing.DriverHost;
import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.OverlayScenarios;

/**
 * The overlay scenarios every network driver must pass ({@link OverlayScenarios}) with this driver: VXLAN
 * devices on the segments' Linux bridges. Names of its own ({@code gcpov<pid>-...}, ids
 * {@code ...-0a7e-4000-8000-<pid>}), so that they never meet another suite's.
 */
class LinuxBridgeOverlayTest extends OverlayScenarios<DriverHost> {

    LinuxBridgeOverlayTest() {
        super(new LabNames("gcpov", "0a7e"), new LinuxBridgeFactory());
    }
}
