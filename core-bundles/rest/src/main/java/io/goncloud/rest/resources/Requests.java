package io.goncloud.rest.resources;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.PageRequest;

/** Small helpers shared by the resources for reading request input. */
final class Requests {

    private Requests() {
    }

    static <T> T body(T body) {
        if (body == null) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request needs a JSON body");
        }
        return body;
    }

    /** Query parameters arrive as text so that a bad value is a 400 with a message, not a bare 404. */
    static PageRequest page(String limit, String pageToken) {
        Integer parsed = null;
        if (limit != null && !limit.isBlank()) {
            try {
                parsed = Integer.valueOf(limit.strip());
            } catch (NumberFormatException e) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "limit must be a whole number, got '" + limit + "'");
            }
            if (parsed < 1 || parsed > PageRequest.MAX_LIMIT) {
                throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                        "limit must be between 1 and " + PageRequest.MAX_LIMIT + ", got " + parsed);
            }
        }
        return new PageRequest(parsed, pageToken == null || pageToken.isBlank() ? null : pageToken);
    }

    /** An optional query parameter: absent or blank is {@code null}. */
    static String optional(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
