package io.goncloud.rest.resources;

import io.goncloud.api.model.InstanceType;
import io.goncloud.api.model.Page;
import io.goncloud.api.service.CatalogService;
import io.goncloud.rest.internal.Authentication;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

/** The instance types on offer (images have their own resource, {@link ImageResource}). */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    private final CatalogService catalog;

    public CatalogResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path("instance-types")
    public Page<InstanceType> instanceTypes(@Context SecurityContext security, @QueryParam("limit") String limit,
                                            @QueryParam("page_token") String pageToken) {
        Authentication.caller(security);
        return catalog.instanceTypes(Requests.page(limit, pageToken));
    }
}
