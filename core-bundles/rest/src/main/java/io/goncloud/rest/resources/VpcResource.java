package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.VpcService;
import io.goncloud.api.service.VpcService.CreateVpc;
import io.goncloud.api.service.VpcService.UpdateVpc;
import io.goncloud.rest.internal.Authentication;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

@Path("vpcs")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class VpcResource {

    private final VpcService vpcs;

    public VpcResource(VpcService vpcs) {
        this.vpcs = vpcs;
    }

    @GET
    public Page<Vpc> list(@Context SecurityContext security, @QueryParam("limit") String limit,
                          @QueryParam("page_token") String pageToken) {
        return vpcs.list(Authentication.caller(security), Requests.page(limit, pageToken));
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateVpc request) {
        Vpc vpc = vpcs.create(Authentication.caller(security), Requests.body(request), null);
        return Response.created(uri.getAbsolutePathBuilder().path(vpc.id()).build()).entity(vpc).build();
    }

    @GET
    @Path("{id}")
    public Vpc get(@Context SecurityContext security, @PathParam("id") String id) {
        return vpcs.get(Authentication.caller(security), id);
    }

    @PUT
    @Path("{id}")
    public Vpc update(@Context SecurityContext security, @PathParam("id") String id, UpdateVpc request) {
        return vpcs.update(Authentication.caller(security), id, Requests.body(request));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        vpcs.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }
}
