package io.goncloud.rest.resources;

import io.goncloud.api.model.ConsoleOutput;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.InstanceEvent;
import io.goncloud.api.model.Page;
import io.goncloud.api.service.InstanceService;
import io.goncloud.api.service.InstanceService.LaunchInstance;
import io.goncloud.api.service.InstanceService.UpdateInstance;
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

/**
 * Instances. Every call records the desired state and answers at once with the instance in its new state
 * ({@code pending}, {@code stopping}, {@code shutting-down}...); workers carry it out and the state follows,
 * which clients see by polling GET or on the live stream (GET /events).
 */
@Path("instances")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

    private final InstanceService instances;

    public InstanceResource(InstanceService instances) {
        this.instances = instances;
    }

    @GET
    public Page<Instance> list(@Context SecurityContext security, @QueryParam("vpc_id") String vpcId,
                               @QueryParam("state") String state, @QueryParam("limit") String limit,
                               @QueryParam("page_token") String pageToken) {
        return instances.list(Authentication.caller(security), Requests.optional(vpcId), Requests.optional(state),
                Requests.page(limit, pageToken));
    }

    @POST
    public Response launch(@Context SecurityContext security, @Context UriInfo uri, LaunchInstance request) {
        Instance instance = instances.launch(Authentication.caller(security), Requests.body(request));
        return Response.created(uri.getAbsolutePathBuilder().path(instance.id()).build()).entity(instance).build();
    }

    @GET
    @Path("{id}")
    public Instance get(@Context SecurityContext security, @PathParam("id") String id) {
        return instances.get(Authentication.caller(security), id);
    }

    /** The states the instance went through, oldest first, all in one page. */
    @GET
    @Path("{id}/events")
    public Page<InstanceEvent> history(@Context SecurityContext security, @PathParam("id") String id) {
        return new Page<>(instances.history(Authentication.caller(security), id), null);
    }

    /**
     * The tail of the instance's console (at most 64 KiB), read from its worker now: 503 when the worker does not
     * answer within a few seconds, an empty output for a terminated instance.
     */
    @GET
    @Path("{id}/console-output")
    public ConsoleOutput consoleOutput(@Context SecurityContext security, @PathParam("id") String id) {
        return instances.consoleOutput(Authentication.caller(security), id);
    }

    @PUT
    @Path("{id}")
    public Instance update(@Context SecurityContext security, @PathParam("id") String id, UpdateInstance request) {
        return instances.update(Authentication.caller(security), id, Requests.body(request));
    }

    /** Terminates: 200 with the instance in {@code shutting-down} (EC2 answers with the new state too). */
    @DELETE
    @Path("{id}")
    public Instance terminate(@Context SecurityContext security, @PathParam("id") String id) {
        return instances.terminate(Authentication.caller(security), id);
    }

    @POST
    @Path("{id}/start")
    public Instance start(@Context SecurityContext security, @PathParam("id") String id, NoParameters request) {
        return instances.start(Authentication.caller(security), id);
    }

    @POST
    @Path("{id}/stop")
    public Instance stop(@Context SecurityContext security, @PathParam("id") String id, NoParameters request) {
        return instances.stop(Authentication.caller(security), id);
    }

    /** The specification's name for a reboot: the instance stays {@code running}. */
    @POST
    @Path("{id}/restart")
    public Instance restart(@Context SecurityContext security, @PathParam("id") String id, NoParameters request) {
        return instances.reboot(Authentication.caller(security), id);
    }
}
