package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.SecurityGroup;
import io.goncloud.api.model.SecurityGroupRule;
import io.goncloud.api.service.SecurityGroupService;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroup;
import io.goncloud.api.service.SecurityGroupService.CreateSecurityGroupRule;
import io.goncloud.api.service.SecurityGroupService.UpdateSecurityGroup;
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

@Path("security-groups")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SecurityGroupResource {

    private final SecurityGroupService groups;

    public SecurityGroupResource(SecurityGroupService groups) {
        this.groups = groups;
    }

    @GET
    public Page<SecurityGroup> list(@Context SecurityContext security, @QueryParam("vpc_id") String vpcId,
                                    @QueryParam("limit") String limit, @QueryParam("page_token") String pageToken) {
        return groups.list(Authentication.caller(security), Requests.optional(vpcId), Requests.page(limit, pageToken));
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateSecurityGroup request) {
        SecurityGroup group = groups.create(Authentication.caller(security), Requests.body(request));
        return Response.created(uri.getAbsolutePathBuilder().path(group.id()).build()).entity(group).build();
    }

    @GET
    @Path("{id}")
    public SecurityGroup get(@Context SecurityContext security, @PathParam("id") String id) {
        return groups.get(Authentication.caller(security), id);
    }

    @PUT
    @Path("{id}")
    public SecurityGroup update(@Context SecurityContext security, @PathParam("id") String id,
                                UpdateSecurityGroup request) {
        return groups.update(Authentication.caller(security), id, Requests.body(request));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        groups.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/rules")
    public Response addRule(@Context SecurityContext security, @PathParam("id") String id,
                            CreateSecurityGroupRule request) {
        SecurityGroupRule rule = groups.addRule(Authentication.caller(security), id, Requests.body(request));
        return Response.status(Response.Status.CREATED).entity(rule).build();
    }

    @DELETE
    @Path("{id}/rules/{rule_id}")
    public Response deleteRule(@Context SecurityContext security, @PathParam("id") String id,
                               @PathParam("rule_id") String ruleId) {
        groups.deleteRule(Authentication.caller(security), id, ruleId);
        return Response.noContent().build();
    }
}
