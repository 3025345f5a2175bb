package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.Route;
import io.goncloud.api.model.RouteTable;
import io.goncloud.api.service.RouteTableService;
import io.goncloud.api.service.RouteTableService.Associate;
import io.goncloud.api.service.RouteTableService.CreateRoute;
import io.goncloud.api.service.RouteTableService.CreateRouteTable;
import io.goncloud.rest.internal.Authentication;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

@Path("route-tables")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RouteTableResource {

    private final RouteTableService routeTables;

    public RouteTableResource(RouteTableService routeTables) {
        this.routeTables = routeTables;
    }

    @GET
    public Page<RouteTable> list(@Context SecurityContext security, @QueryParam("vpc_id") String vpcId,
                                 @QueryParam("limit") String limit, @QueryParam("page_token") String pageToken) {
        return routeTables.list(Authentication.caller(security), Requests.optional(vpcId), Requests.page(limit, pageToken));
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateRouteTable request) {
        RouteTable table = routeTables.create(Authentication.caller(security), Requests.body(request));
        return Response.created(uri.getAbsolutePathBuilder().path(table.id()).build()).entity(table).build();
    }

    @GET
    @Path("{id}")
    public RouteTable get(@Context SecurityContext security, @PathParam("id") String id) {
        return routeTables.get(Authentication.caller(security), id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        routeTables.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/routes")
    public Response createRoute(@Context SecurityContext security, @PathParam("id") String id, CreateRoute request) {
        Route route = routeTables.createRoute(Authentication.caller(security), id, Requests.body(request));
        return Response.status(Response.Status.CREATED).entity(route).build();
    }

    @DELETE
    @Path("{id}/routes")
    public Response deleteRoute(@Context SecurityContext security, @PathParam("id") String id,
                                @QueryParam("destination_cidr") String destinationCidr) {
        routeTables.deleteRoute(Authentication.caller(security), id, Requests.optional(destinationCidr));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/associations")
    public RouteTable associate(@Context SecurityContext security, @PathParam("id") String id, Associate request) {
        return routeTables.associate(Authentication.caller(security), id, Requests.body(request).subnetId());
    }

    @DELETE
    @Path("{id}/associations/{subnet_id}")
    public Response disassociate(@Context SecurityContext security, @PathParam("id") String id,
                                 @PathParam("subnet_id") String subnetId) {
        routeTables.disassociate(Authentication.caller(security), id, subnetId);
        return Response.noContent().build();
    }
}
