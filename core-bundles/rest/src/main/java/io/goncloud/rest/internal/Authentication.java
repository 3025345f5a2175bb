package io.goncloud.rest.internal;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.service.AuthService;
import io.goncloud.api.service.Caller;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Requires a valid bearer access token on every route not marked {@link Public}, and makes the
 * caller available to resources through the {@link SecurityContext}. Routes marked {@link QueryToken} also
 * take the token as the {@code access_token} query parameter when no Authorization header is sent.
 */
@Priority(Priorities.AUTHENTICATION)
public class Authentication implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final AuthService auth;

    @Context
    private ResourceInfo resourceInfo;

    public Authentication(AuthService auth) {
        this.auth = auth;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPublic()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        try {
            String token;
            if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                token = header.substring(BEARER.length()).strip();
            } else if (header == null && takesQueryToken()
                    && request.getUriInfo().getQueryParameters().getFirst(QueryToken.PARAMETER) != null) {
                token = request.getUriInfo().getQueryParameters().getFirst(QueryToken.PARAMETER).strip();
            } else {
                throw new GcpException(ErrorCode.AUTH_FAILURE,
                        "This route needs an access token: send 'Authorization: Bearer <access_token>'"
                                + (takesQueryToken() ? " or ?" + QueryToken.PARAMETER + "=<access_token>" : ""));
            }
            Caller caller = auth.authenticate(token);
            boolean secure = request.getSecurityContext().isSecure();
            request.setSecurityContext(new CallerContext(caller, secure));
        } catch (GcpException e) {
            Response denied = Response.fromResponse(ApiError.response(e.errorCode(), e.getMessage(), RequestIds.of(request)))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gcp\"")
                    .build();
            request.abortWith(denied);
        }
    }

    private boolean isPublic() {
        return resourceInfo != null && (resourceInfo.getResourceMethod() != null
                && resourceInfo.getResourceMethod().isAnnotationPresent(Public.class)
                || resourceInfo.getResourceClass() != null
                && resourceInfo.getResourceClass().isAnnotationPresent(Public.class));
    }

    private boolean takesQueryToken() {
        return resourceInfo != null && resourceInfo.getResourceMethod() != null
                && resourceInfo.getResourceMethod().isAnnotationPresent(QueryToken.class);
    }

    /** The authenticated caller of a request. */
    public static Caller caller(SecurityContext context) {
        if (context.getUserPrincipal() instanceof CallerPrincipal principal) {
            return principal.caller();
        }
        throw new GcpException(ErrorCode.AUTH_FAILURE, "This route needs an access token");
    }

    record CallerPrincipal(Caller caller) implements Principal {
        @Override
        public String getName() {
            return caller.userId();
        }
    }

    private record CallerContext(Caller caller, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return new CallerPrincipal(caller);
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.role().wireName().equals(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
