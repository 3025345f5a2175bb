package io.goncloud.rest.resources;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Image;
import io.goncloud.api.model.Page;
import io.goncloud.api.service.CatalogService;
import io.goncloud.api.service.ImageService;
import io.goncloud.api.service.ImageService.ImportImage;
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
import java.nio.file.InvalidPathException;

/** Images: everyone lists and reads the public ones and their own; admins import and delete. */
@Path("images")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {

    static final String DEFAULT_FORMAT = "docker-rootfs";

    private final CatalogService catalog;
    private final ImageService images;

    public ImageResource(CatalogService catalog, ImageService images) {
        this.catalog = catalog;
        this.images = images;
    }

    /**
     * The body of an import: the image file is read from {@code source_path} on the controller's file
     * system and copied into the image store.
     */
    public record ImportImageRequest(String name, String description, String os, String version, String architecture,
                                     String format, String sourcePath, Boolean isPublic) {
    }

    @GET
    public Page<Image> list(@Context SecurityContext security, @QueryParam("limit") String limit,
                            @QueryParam("page_token") String pageToken) {
        return catalog.images(Authentication.caller(security), Requests.page(limit, pageToken));
    }

    @POST
    public Response importImage(@Context SecurityContext security, @Context UriInfo uri, ImportImageRequest request) {
        var caller = Authentication.caller(security);
        ImportImageRequest body = Requests.body(request);
        if (!caller.isAdmin()) { // before looking at the path: users learn nothing about the controller's files
            throw new GcpException(ErrorCode.UNAUTHORIZED_OPERATION, "Only administrators may import images");
        }
        if (body.sourcePath() == null || body.sourcePath().isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "source_path is required: the absolute path of the "
                    + "image file on the controller");
        }
        java.nio.file.Path source;
        try {
            source = java.nio.file.Path.of(body.sourcePath().strip());
        } catch (InvalidPathException e) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "source_path is not a valid path: " + e.getReason());
        }
        if (!source.isAbsolute()) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "source_path must be an absolute path on the "
                    + "controller, got '" + body.sourcePath() + "'");
        }
        String format = body.format() == null || body.format().isBlank() ? DEFAULT_FORMAT : body.format();
        Image image = images.importImage(caller, new ImportImage(body.name(), body.description(), body.os(),
                body.version(), body.architecture(), format, source, Boolean.TRUE.equals(body.isPublic())));
        return Response.created(uri.getAbsolutePathBuilder().path(image.id()).build()).entity(image).build();
    }

    @GET
    @Path("{id}")
    public Image get(@Context SecurityContext security, @PathParam("id") String id) {
        return images.get(Authentication.caller(security), id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        images.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }
}
