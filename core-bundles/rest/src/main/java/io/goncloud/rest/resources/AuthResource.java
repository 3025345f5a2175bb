package io.goncloud.rest.resources;

import io.goncloud.api.model.User;
import io.goncloud.api.service.AuthService;
import io.goncloud.api.service.AuthService.TokenPair;
import io.goncloud.rest.internal.Public;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

@Public
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AuthService auth;

    public AuthResource(AuthService auth) {
        this.auth = auth;
    }

    public record RegisterRequest(String username, String email, String password) {
    }

    public record LoginRequest(String email, String password) {
    }

    public record RefreshRequest(String refreshToken) {
    }

    @POST
    @Path("register")
    public Response register(RegisterRequest request) {
        Requests.body(request);
        User user = auth.register(request.username(), request.email(), request.password());
        return Response.status(Response.Status.CREATED).entity(user).build();
    }

    @POST
    @Path("login")
    public TokenPair login(LoginRequest request, @Context HttpServletRequest http) {
        Requests.body(request);
        // The peer's address: a proxy in front would need its X-Forwarded-For trusted, which nothing does yet.
        return auth.login(request.email(), request.password(), http == null ? null : http.getRemoteAddr());
    }

    /** Ends the session: the refresh token's chain is revoked; 204 also for a token already unknown. */
    @POST
    @Path("logout")
    public Response logout(RefreshRequest request) {
        Requests.body(request);
        auth.logout(request.refreshToken());
        return Response.noContent().build();
    }

    @POST
    @Path("refresh")
    public TokenPair refresh(RefreshRequest request) {
        Requests.body(request);
        return auth.refresh(request.refreshToken());
    }
}
