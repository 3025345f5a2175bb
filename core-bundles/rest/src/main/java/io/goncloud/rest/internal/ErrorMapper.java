package io.goncloud.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;

/**
 * Turns every failure into the API's one error shape. Client mistakes become 4xx with a message that
 * says what to fix; anything unexpected becomes a 500 whose body says only which request failed,
 * while the log gets the details under the same request id.
 */
public class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Context
    private UriInfo uriInfo;
    @Context
    private Request request;

    @Override
    public Response toResponse(Throwable failure) {
        String requestId = RequestIds.current();
        if (failure instanceof GcpException e) {
            Response answer = ApiError.response(e.errorCode(), e.getMessage(), requestId);
            return e.retryAfterSeconds() > 0
                    ? Response.fromResponse(answer).header("Retry-After", e.retryAfterSeconds()).build() : answer;
        }
        Response shaped = alreadyShaped(failure);
        if (shaped != null) {
            return shaped; // e.g. BodySizeLimit's 413, wrapped by the JSON reader on its way out
        }
        JsonProcessingException json = jsonCause(failure);
        if (json != null) {
            return jsonError(json, requestId);
        }
        if (failure instanceof WebApplicationException e) {
            return httpError(e, requestId);
        }
        if (clientWentAway(failure)) {
            // A browser that navigated away or closed a stream: nothing failed here, and nobody reads the answer.
            LOG.debug("Request {}: the client went away ({})", requestId, failure.toString());
            return Response.status(499).build();
        }
        LOG.error("Request {} failed", requestId, failure);
        return ApiError.response(ErrorCode.INTERNAL_ERROR,
                "The request failed because of an internal error; report request id " + requestId, requestId);
    }

    /** Whether writing the answer failed because the client closed the connection (Jetty's EofException and kin). */
    static boolean clientWentAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
            String message = t.getMessage();
            if (t instanceof java.io.IOException && message != null
                    && (message.contains("Broken pipe") || message.contains("Connection reset by peer"))) {
                return true;
            }
        }
        return false;
    }

    private Response httpError(WebApplicationException e, String requestId) {
        Response original = e.getResponse();
        String route = describeRoute();
        return switch (original.getStatus()) {
            case 404 -> ApiError.response(ErrorCode.UNKNOWN_ROUTE, "No such route: " + route, requestId);
            case 405 -> ApiError.response(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed: " + route, requestId);
            case 406 -> ApiError.response(ErrorCode.NOT_ACCEPTABLE, "This API answers in application/json only", requestId);
            case 413 -> ApiError.response(ErrorCode.REQUEST_TOO_LARGE, "The request body is too large", requestId);
            case 415 -> ApiError.response(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the request body as application/json", requestId);
            default -> {
                if (original.getStatus() >= 500) {
                    LOG.error("Request {} failed", requestId, e);
                    yield ApiError.response(ErrorCode.INTERNAL_ERROR,
                            "The request failed because of an internal error; report request id " + requestId, requestId);
                }
                yield ApiError.response(new ErrorCode(ErrorCode.MALFORMED_REQUEST.code(), original.getStatus()),
                        "The request is not valid: " + original.getStatusInfo().getReasonPhrase(), requestId);
            }
        };
    }

    private String describeRoute() {
        try {
            return request.getMethod() + " " + uriInfo.getRequestUri().getPath();
        } catch (RuntimeException e) {
            return "(unknown)";
        }
    }

    private static Response alreadyShaped(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebApplicationException e && e.getResponse().getEntity() instanceof ApiError) {
                return e.getResponse();
            }
        }
        return null;
    }

    private static JsonProcessingException jsonCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return json;
            }
        }
        return null;
    }

    private static Response jsonError(JsonProcessingException e, String requestId) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return ApiError.response(ErrorCode.UNKNOWN_PARAMETER, "Unknown parameter '" + unknown.getPropertyName()
                    + "'" + (known.isEmpty() ? "" : "; expected one of: " + known), requestId);
        }
        if (e instanceof MismatchedInputException || e instanceof InvalidFormatException) {
            String field = path((JsonMappingException) e);
            String expected = ((MismatchedInputException) e).getTargetType() == null ? "another type"
                    : describe(((MismatchedInputException) e).getTargetType());
            String message = field.isEmpty()
                    ? "The request body must be a JSON object"
                    : "Parameter '" + field + "' has the wrong type: expected " + expected;
            return ApiError.response(ErrorCode.INVALID_PARAMETER_VALUE, message, requestId);
        }
        return ApiError.response(ErrorCode.MALFORMED_REQUEST,
                "The request body is not valid JSON: " + e.getOriginalMessage(), requestId);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "an object";
    }
}
