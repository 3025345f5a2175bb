package io.goncloud.api.spi;

/** A driver could not do what was asked. The message is for operators and must not contain secrets. */
public class DriverException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
