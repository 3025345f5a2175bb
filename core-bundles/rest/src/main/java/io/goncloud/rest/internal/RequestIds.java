package io.goncloud.rest.internal;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import java.util.UUID;

/**
 * Gives every request an id, returned in the {@code X-Request-Id} header and in error bodies, and
 * written in the log beside any failure, so a user's report can be matched to the log.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestIds implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String HEADER = "X-Request-Id";
    static final String PROPERTY = "gcp.request_id";
    /** CXF serves a request on one thread from filter to response, so mappers can find its id here. */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    @Override
    public void filter(ContainerRequestContext request) {
        String id = UUID.randomUUID().toString();
        request.setProperty(PROPERTY, id);
        CURRENT.set(id);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
        CURRENT.remove();
    }

    static String of(ContainerRequestContext request) {
        Object id = request.getProperty(PROPERTY);
        return id == null ? UUID.randomUUID().toString() : id.toString();
    }

    /** The id of the request being handled on this thread (for exception mappers, which get no context). */
    static String current() {
        String id = CURRENT.get();
        return id == null ? UUID.randomUUID().toString() : id;
    }
}
