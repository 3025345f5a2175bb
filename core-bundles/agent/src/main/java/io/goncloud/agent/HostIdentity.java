package io.goncloud.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This host's id in the cluster: the configured {@code host.id}, or else its host name. */
final class HostIdentity {

    private HostIdentity() {
    }

    static String of(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The host's address as others would see it, for operators' information only. */
    static String address() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
