package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.Volume;
import io.goncloud.api.service.VolumeService;
import io.goncloud.api.service.VolumeService.AttachVolume;
import io.goncloud.api.service.VolumeService.CreateVolume;
import io.goncloud.api.service.VolumeService.UpdateVolume;
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
 * Block volumes. A new volume answers {@code creating} at once and becomes {@code available} when the storage agent
 * of the worker holding it has made it; a deleted one is {@code deleting} until its data is gone.
 */
@Path("volumes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class VolumeResource {

    private final VolumeService volumes;

    public VolumeResource(VolumeService volumes) {
        this.volumes = volumes;
    }

    @GET
    public Page<Volume> list(@Context SecurityContext security, @QueryParam("state") String state,
                             @QueryParam("limit") String limit, @QueryParam("page_token") String pageToken) {
        return volumes.list(Authentication.caller(security), Requests.optional(state), Requests.page(limit, pageToken));
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateVolume request) {
        Volume volume = volumes.create(Authentication.caller(security), Requests.body(request));
        return Response.created(uri.getAbsolutePathBuilder().path(volume.id()).build()).entity(volume).build();
    }

    @GET
    @Path("{id}")
    public Volume get(@Context SecurityContext security, @PathParam("id") String id) {
        return volumes.get(Authentication.caller(security), id);
    }

    @PUT
    @Path("{id}")
    public Volume update(@Context SecurityContext security, @PathParam("id") String id, UpdateVolume request) {
        return volumes.update(Authentication.caller(security), id, Requests.body(request));
    }

    /** 200 with the volume {@code in-use}, its attachment {@code attaching}. */
    @POST
    @Path("{id}/attach")
    public Volume attach(@Context SecurityContext security, @PathParam("id") String id, AttachVolume request) {
        return volumes.attach(Authentication.caller(security), id, Requests.body(request));
    }

    /** 200 with the attachment {@code detaching}; the volume is {@code available} once its host took it out. */
    @POST
    @Path("{id}/detach")
    public Volume detach(@Context SecurityContext security, @PathParam("id") String id, NoParameters request) {
        return volumes.detach(Authentication.caller(security), id);
    }

    /** 200 with the volume in {@code deleting}; 409 VolumeInUse while attached. */
    @DELETE
    @Path("{id}")
    public Volume delete(@Context SecurityContext security, @PathParam("id") String id) {
        return volumes.delete(Authentication.caller(security), id);
    }
}
