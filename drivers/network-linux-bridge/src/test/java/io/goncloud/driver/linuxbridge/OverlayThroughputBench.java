package io.goncloud.driver.linuxbridge;

import io.goncloud.driver.network.common.testing.DriverHost;
import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.OverlayBench;

/** Not a test (no Surefire name pattern matches it): {@link OverlayBench} with this driver. */
class OverlayThroughputBench extends OverlayBench<DriverHost> {

    OverlayThroughputBench() {
        super(new LabNames("gcpov", "0a7e"), new LinuxBridgeFactory());
    }

    @Override
    protected String overlayPath() {
        return "driver overlay: instance - bridge - gcpv tunnel - bridge - instance";
    }
}
