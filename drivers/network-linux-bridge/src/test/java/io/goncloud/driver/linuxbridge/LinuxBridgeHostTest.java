package io.goncloud.driver.linuxbridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goncloud.api.spi.network.HostNames;
import org.junit.jupiter.api.Test;

/** The names this driver owns in the host namespace. No root needed. */
class LinuxBridgeHostTest {

    private static final String ID = "0a1b2c3d-0000-4000-8000-000000000001";

    @Test
    void onlyNamesTheDriverGivesAreOwned() {
        assertTrue(LinuxBridgeHost.OWNED_LINK.matcher(HostNames.subnetBridge(ID)).matches());
        assertTrue(LinuxBridgeHost.OWNED_LINK.matcher(HostNames.uplinkPeer(ID)).matches());
        assertFalse(LinuxBridgeHost.OWNED_LINK.matcher("gcpq" + HostNames.shortId(ID)).matches(),
                "the OVS driver's per-port bridges are not this driver's");
        assertFalse(LinuxBridgeHost.OWNED_LINK.matcher("gcpkeep0").matches());
        assertFalse(LinuxBridgeHost.OWNED_LINK.matcher("eth0").matches());
    }
}
