package io.goncloud.rest.resources;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.Snapshot;
import io.goncloud.api.service.VolumeService;
import io.goncloud.api.service.VolumeService.CreateSnapshot;
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

/** Snapshots of volumes: {@code pending} at once, {@code completed} when the volume's worker has taken it. */
@Path("snapshots")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotResource {

    private final VolumeService volumes;

    public SnapshotResource(VolumeService volumes) {
        this.volumes = volumes;
    }

    @GET
    public Page<Snapshot> list(@Context SecurityContext security, @QueryParam("volume_id") String volumeId,
                               @QueryParam("limit") String limit, @QueryParam("page_token") String pageToken) {
        return volumes.listSnapshots(Authentication.caller(security), Requests.optional(volumeId),
                Requests.page(limit, pageToken));
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateSnapshot request) {
        Snapshot snapshot = volumes.createSnapshot(Authentication.caller(security), Requests.body(request));
        return Response.created(uri.getAbsolutePathBuilder().path(snapshot.id()).build()).entity(snapshot).build();
    }

    @GET
    @Path("{id}")
    public Snapshot get(@Context SecurityContext security, @PathParam("id") String id) {
        return volumes.getSnapshot(Authentication.caller(security), id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        volumes.deleteSnapshot(Authentication.caller(security), id);
        return Response.noContent().build();
    }
}
