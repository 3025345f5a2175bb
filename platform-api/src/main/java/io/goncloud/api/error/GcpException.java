package io.goncloud.api.error;

/**
 * The one exception type services throw for anything a client did wrong or must be told about.
 * The message is shown to the client as is: it must be clear, and must never contain secrets.
 */
public class GcpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    public GcpException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
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
