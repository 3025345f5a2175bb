package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.User;
import io.goncloud.api.service.UserService;
import io.goncloud.rest.internal.Authentication;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PathParam;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/** Account administration: admins only. */
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserService users;

    public UserResource(UserService users) {
        this.users = users;
    }

    @POST
    @Path("{id}/deactivate")
    @Consumes(MediaType.APPLICATION_JSON)
    public User deactivate(@Context SecurityContext security, @PathParam("id") String id, NoParameters body) {
        return users.setActive(Authentication.caller(security), id, false);
    }

    @POST
    @Path("{id}/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    public User activate(@Context SecurityContext security, @PathParam("id") String id, NoParameters body) {
        return users.setActive(Authentication.caller(security), id, true);
    }

    @GET
    public Page<User> list(@Context SecurityContext security, @QueryParam("limit") String limit,
                           @QueryParam("page_token") String pageToken) {
        return users.list(Authentication.caller(security), Requests.page(limit, pageToken));
    }
}
