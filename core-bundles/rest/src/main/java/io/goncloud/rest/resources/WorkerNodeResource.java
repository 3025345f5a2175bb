package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.WorkerNode;
import io.goncloud.api.service.WorkerNodeService;
import io.goncloud.rest.internal.Authentication;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/** The worker hosts: admins only (the service refuses everyone else with UnauthorizedOperation). */
@Path("nodes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkerNodeResource {

    private final WorkerNodeService nodes;

    public WorkerNodeResource(WorkerNodeService nodes) {
        this.nodes = nodes;
    }

    /** Every node in one page (a cloud has few hosts), in the list shape every other list has. */
    @GET
    public Page<WorkerNode> list(@Context SecurityContext security) {
        return new Page<>(nodes.list(Authentication.caller(security)), null);
    }

    /** @param id the node's id or its host name */
    @GET
    @Path("{id}")
    public WorkerNode get(@Context SecurityContext security, @PathParam("id") String id) {
        return nodes.get(Authentication.caller(security), id);
    }

    @POST
    @Path("{id}/drain")
    public WorkerNode drain(@Context SecurityContext security, @PathParam("id") String id, NoParameters request) {
        return nodes.drain(Authentication.caller(security), id);
    }

    @POST
    @Path("{id}/undrain")
    public WorkerNode undrain(@Context SecurityContext security, @PathParam("id") String id, NoParameters request) {
        return nodes.undrain(Authentication.caller(security), id);
    }
}
