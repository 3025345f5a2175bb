package io.goncloud.driver.ovs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.goncloud.driver.network.common.testing.LabNames;
import io.goncloud.driver.network.common.testing.NetnsLab;
import io.goncloud.driver.network.common.testing.NetworkDriverFactory;

/** This driver on a fake host, for the shared scenarios: an Open vSwitch of the host's own, then the driver. */
final class OvsFactory implements NetworkDriverFactory<OvsDriverHost> {

    @Override
    public OvsDriverHost manage(NetnsLab lab, String host, String dhcpStateDir) {
        OvsDaemons daemons = OvsDaemons.start(host);
        lab.stopAtClose(daemons::stop);
        return new OvsDriverHost(daemons, dhcpStateDir);
    }

    @Override
    public void assumeUsable() {
        assumeTrue(OvsDaemons.installed(), "needs Open vSwitch (apt-get install openvswitch-switch)");
    }

    @Override
    public void removeLeftovers(LabNames names) {
        OvsDaemons.removeLeftovers(names);
    }
}
