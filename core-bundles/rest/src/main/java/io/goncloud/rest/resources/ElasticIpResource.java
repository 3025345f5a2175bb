package io.goncloud.rest.resources;

import io.goncloud.api.model.ElasticIp;
import io.goncloud.api.model.Page;
import io.goncloud.api.service.ElasticIpService;
import io.goncloud.api.service.ElasticIpService.Associate;
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

@Path("elastic-ips")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ElasticIpResource {

    private final ElasticIpService addresses;

    public ElasticIpResource(ElasticIpService addresses) {
        this.addresses = addresses;
    }

    @GET
    public Page<ElasticIp> list(@Context SecurityContext security, @QueryParam("limit") String limit,
                                @QueryParam("page_token") String pageToken) {
        return addresses.list(Authentication.caller(security), Requests.page(limit, pageToken));
    }

    @POST
    public Response allocate(@Context SecurityContext security, @Context UriInfo uri, NoParameters request) {
        ElasticIp address = addresses.allocate(Authentication.caller(security), null);
        return Response.created(uri.getAbsolutePathBuilder().path(address.id()).build()).entity(address).build();
    }

    @GET
    @Path("{id}")
    public ElasticIp get(@Context SecurityContext security, @PathParam("id") String id) {
        return addresses.get(Authentication.caller(security), id);
    }

    @DELETE
    @Path("{id}")
    public Response release(@Context SecurityContext security, @PathParam("id") String id) {
        addresses.release(Authentication.caller(security), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/associate")
    public ElasticIp associate(@Context SecurityContext security, @PathParam("id") String id, Associate request) {
        return addresses.associate(Authentication.caller(security), id, Requests.body(request).instanceId());
    }

    /** Takes no parameters: the body is empty or {@code {}}. */
    @POST
    @Path("{id}/disassociate")
    public ElasticIp disassociate(@Context SecurityContext security, @PathParam("id") String id, NoParameters request) {
        return addresses.disassociate(Authentication.caller(security), id);
    }
}
