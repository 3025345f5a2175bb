package io.goncloud.api.error;

/**
 * The one exception type services throw for anything a client did wrong or must be told about.
 * The message is shown to the client as is: it must be clear, and must never contain secrets.
 */
public class GcpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final long retryAfterSeconds;

    public GcpException(ErrorCode errorCode, String message) {
        this(errorCode, message, 0);
    }

    /** @param retryAfterSeconds when the client may try again (HTTP {@code Retry-After}); 0: not said */
    public GcpException(ErrorCode errorCode, String message, long retryAfterSeconds) {
        super(message);
        this.errorCode = errorCode;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds until the client may try again, or 0 when the answer does not say. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public String code() {
        return errorCode.code();
    }

    public int httpStatus() {
        return errorCode.httpStatus();
    }
}
