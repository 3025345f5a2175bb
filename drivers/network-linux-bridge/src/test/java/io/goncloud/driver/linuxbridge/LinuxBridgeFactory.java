package io.goncloud.driver.linuxbridge;

import io.goncloud.driver.network.common.testing.DriverHost;
import io.goncloud.driver.network.common.testing.NetnsLab;
import io.goncloud.driver.network.common.testing.NetworkDriverFactory;

/** This driver on a fake host, for the shared scenarios: Linux bridges are what {@link DriverHost} knows already. */
final class LinuxBridgeFactory implements NetworkDriverFactory<DriverHost> {

    @Override
    public DriverHost manage(NetnsLab lab, String host, String dhcpStateDir) {
        return new DriverHost(host, new LinuxBridgeNetworkDriver(host, dhcpStateDir), dhcpStateDir);
    }
}
