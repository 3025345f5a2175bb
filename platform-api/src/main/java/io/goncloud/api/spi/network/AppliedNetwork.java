package io.goncloud.api.spi.network;

import java.util.Map;

/**
 * What {@link NetworkDriver#apply} put in place.
 *
 * @param portDevices for each port id, the host-side device the compute driver attaches to the instance
 */
public record AppliedNetwork(Map<String, String> portDevices) {

    public AppliedNetwork {
        portDevices = Map.copyOf(portDevices);
    }
}
