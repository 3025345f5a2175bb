package io.goncloud.rest.resources;

import io.goncloud.api.model.Quota;
import io.goncloud.api.service.QuotaService;
import io.goncloud.rest.internal.Authentication;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;

/** Per-tenant limits: a tenant reads its own; admins read and set anyone's and the cloud's defaults. */
@Path("quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    private final QuotaService quotas;

    public QuotaResource(QuotaService quotas) {
        this.quotas = quotas;
    }

    public record Quotas(List<Quota> quotas) {
    }

    @GET
    public Quotas mine(@Context SecurityContext security) {
        return new Quotas(quotas.mine(Authentication.caller(security)));
    }

    @GET
    @Path("defaults")
    public Quotas defaults(@Context SecurityContext security) {
        return new Quotas(quotas.defaults(Authentication.caller(security)));
    }

    @PUT
    @Path("defaults")
    @Consumes(MediaType.APPLICATION_JSON)
    public Quotas setDefaults(@Context SecurityContext security, Map<String, Long> limits) {
        return new Quotas(quotas.setDefaults(Authentication.caller(security), limits));
    }

    @GET
    @Path("users/{id}")
    public Quotas forUser(@Context SecurityContext security, @PathParam("id") String userId) {
        return new Quotas(quotas.forUser(Authentication.caller(security), userId));
    }

    @PUT
    @Path("users/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Quotas setForUser(@Context SecurityContext security, @PathParam("id") String userId, Map<String, Long> limits) {
        return new Quotas(quotas.setForUser(Authentication.caller(security), userId, limits));
    }
}
