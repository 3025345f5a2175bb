package io.goncloud.rest.resources;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.NetworkAcl;
import io.goncloud.api.model.NetworkAclEntry;
import io.goncloud.api.model.Page;
import io.goncloud.api.service.NetworkAclService;
import io.goncloud.api.service.NetworkAclService.Associate;
import io.goncloud.api.service.NetworkAclService.CreateNetworkAcl;
import io.goncloud.api.service.NetworkAclService.CreateNetworkAclEntry;
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

@Path("network-acls")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class NetworkAclResource {

    private final NetworkAclService acls;

    public NetworkAclResource(NetworkAclService acls) {
        this.acls = acls;
    }

    @GET
    public Page<NetworkAcl> list(@Context SecurityContext security, @QueryParam("vpc_id") String vpcId,
                                 @QueryParam("limit") String limit, @QueryParam("page_token") String pageToken) {
        return acls.list(Authentication.caller(security), Requests.optional(vpcId), Requests.page(limit, pageToken));
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateNetworkAcl request) {
        NetworkAcl acl = acls.create(Authentication.caller(security), Requests.body(request));
        return Response.created(uri.getAbsolutePathBuilder().path(acl.id()).build()).entity(acl).build();
    }

    @GET
    @Path("{id}")
    public NetworkAcl get(@Context SecurityContext security, @PathParam("id") String id) {
        return acls.get(Authentication.caller(security), id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        acls.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/entries")
    public Response addEntry(@Context SecurityContext security, @PathParam("id") String id,
                             CreateNetworkAclEntry request) {
        NetworkAclEntry entry = acls.addEntry(Authentication.caller(security), id, Requests.body(request));
        return Response.status(Response.Status.CREATED).entity(entry).build();
    }

    @DELETE
    @Path("{id}/entries/{direction}/{rule_number}")
    public Response deleteEntry(@Context SecurityContext security, @PathParam("id") String id,
                                @PathParam("direction") String direction, @PathParam("rule_number") String ruleNumber) {
        int number;
        try {
            number = Integer.parseInt(ruleNumber.strip());
        } catch (NumberFormatException e) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "rule_number must be a whole number, got '" + ruleNumber + "'");
        }
        acls.deleteEntry(Authentication.caller(security), id, direction, number);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/associations")
    public NetworkAcl associate(@Context SecurityContext security, @PathParam("id") String id, Associate request) {
        return acls.associate(Authentication.caller(security), id, Requests.body(request).subnetId());
    }
}
