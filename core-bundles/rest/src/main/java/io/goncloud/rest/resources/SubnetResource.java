package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.Subnet;
import io.goncloud.api.service.SubnetService;
import io.goncloud.api.service.SubnetService.CreateSubnet;
import io.goncloud.api.service.SubnetService.UpdateSubnet;
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

@Path("subnets")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SubnetResource {

    private final SubnetService subnets;

    public SubnetResource(SubnetService subnets) {
        this.subnets = subnets;
    }

    @GET
    public Page<Subnet> list(@Context SecurityContext security, @QueryParam("vpc_id") String vpcId,
                             @QueryParam("limit") String limit, @QueryParam("page_token") String pageToken) {
        return subnets.list(Authentication.caller(security), vpcId == null || vpcId.isBlank() ? null : vpcId,
                Requests.page(limit, pageToken));
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateSubnet request) {
        Subnet subnet = subnets.create(Authentication.caller(security), Requests.body(request));
        return Response.created(uri.getAbsolutePathBuilder().path(subnet.id()).build()).entity(subnet).build();
    }

    @GET
    @Path("{id}")
    public Subnet get(@Context SecurityContext security, @PathParam("id") String id) {
        return subnets.get(Authentication.caller(security), id);
    }

    @PUT
    @Path("{id}")
    public Subnet update(@Context SecurityContext security, @PathParam("id") String id, UpdateSubnet request) {
        return subnets.update(Authentication.caller(security), id, Requests.body(request));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        subnets.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }
}
