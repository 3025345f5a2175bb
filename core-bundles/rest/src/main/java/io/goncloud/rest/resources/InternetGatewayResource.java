package io.goncloud.rest.resources;

import io.goncloud.api.model.InternetGateway;
import io.goncloud.api.model.Page;
import io.goncloud.api.service.InternetGatewayService;
import io.goncloud.api.service.InternetGatewayService.Attachment;
import io.goncloud.api.service.InternetGatewayService.CreateInternetGateway;
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

@Path("internet-gateways")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InternetGatewayResource {

    private final InternetGatewayService gateways;

    public InternetGatewayResource(InternetGatewayService gateways) {
        this.gateways = gateways;
    }

    @GET
    public Page<InternetGateway> list(@Context SecurityContext security, @QueryParam("limit") String limit,
                                      @QueryParam("page_token") String pageToken) {
        return gateways.list(Authentication.caller(security), Requests.page(limit, pageToken));
    }

    /** Every field is optional, so an empty body is accepted too. */
    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateInternetGateway request) {
        InternetGateway gateway = gateways.create(Authentication.caller(security),
                request == null ? new CreateInternetGateway(null) : request, null);
        return Response.created(uri.getAbsolutePathBuilder().path(gateway.id()).build()).entity(gateway).build();
    }

    @GET
    @Path("{id}")
    public InternetGateway get(@Context SecurityContext security, @PathParam("id") String id) {
        return gateways.get(Authentication.caller(security), id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        gateways.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/attach")
    public InternetGateway attach(@Context SecurityContext security, @PathParam("id") String id, Attachment request) {
        return gateways.attach(Authentication.caller(security), id, Requests.body(request).vpcId());
    }

    @POST
    @Path("{id}/detach")
    public InternetGateway detach(@Context SecurityContext security, @PathParam("id") String id, Attachment request) {
        return gateways.detach(Authentication.caller(security), id, Requests.body(request).vpcId());
    }
}
