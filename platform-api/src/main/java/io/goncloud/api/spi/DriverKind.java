package io.goncloud.api.spi;

/** The SPI a driver implements. */
public enum DriverKind {
    COMPUTE, NETWORK, FIREWALL, STORAGE
}
