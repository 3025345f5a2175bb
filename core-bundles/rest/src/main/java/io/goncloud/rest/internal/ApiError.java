package io.goncloud.rest.internal;

import io.goncloud.api.error.ErrorCode;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/** The body of every error response: {@code {"code", "message", "request_id"}}. */
public record ApiError(String code, String message, String requestId) {

    public static Response response(ErrorCode errorCode, String message, String requestId) {
        return Response.status(errorCode.httpStatus())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(RequestIds.HEADER, requestId)
                .entity(new ApiError(errorCode.code(), message, requestId))
                .build();
    }
}
