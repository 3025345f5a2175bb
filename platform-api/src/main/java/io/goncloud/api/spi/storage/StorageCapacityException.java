package io.goncloud.api.spi.storage;

import io.goncloud.api.spi.DriverException;

/** The pool has no room for what was asked: the platform reports it as insufficient capacity, not as a fault. */
public class StorageCapacityException extends DriverException {

    private static final long serialVersionUID = 1L;

    public StorageCapacityException(String message) {
        super(message);
    }
}
