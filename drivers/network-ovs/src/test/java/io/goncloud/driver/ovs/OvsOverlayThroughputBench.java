package io.goncloud.driver.ovs;

import io.goncloud.driver.network.common.testing.OverlayBench;

/** Not a test (no Surefire name pattern matches it): {@link OverlayBench} with this driver. */
class OvsOverlayThroughputBench extends OverlayBench<OvsDriverHost> {

    OvsOverlayThroughputBench() {
        super(OvsOverlayTest.NAMES, new OvsFactory());
    }

    @Override
    protected String overlayPath() {
        return "OVS driver overlay: instance - port bridge - OVS (netdev) - gcpv tunnel - OVS - instance";
    }
}
