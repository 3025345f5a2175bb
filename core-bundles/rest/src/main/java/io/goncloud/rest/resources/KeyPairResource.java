package io.goncloud.rest.resources;

import io.goncloud.api.model.KeyPair;
import io.goncloud.api.model.Page;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.KeyPairService;
import io.goncloud.api.service.KeyPairService.CreateKeyPair;
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

/**
 * SSH key pairs. Creating one without {@code public_key} generates a pair and returns its
 * {@code private_key} in that response only: the platform does not keep it.
 */
@Path("key-pairs")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class KeyPairResource {

    private final KeyPairService keyPairs;

    public KeyPairResource(KeyPairService keyPairs) {
        this.keyPairs = keyPairs;
    }

    @GET
    public Page<KeyPair> list(@Context SecurityContext security, @QueryParam("limit") String limit,
                              @QueryParam("page_token") String pageToken) {
        Page<KeyPair> page = keyPairs.list(Authentication.caller(security), Requests.page(limit, pageToken));
        return new Page<>(page.items().stream().map(KeyPair::withoutPrivateKey).toList(), page.nextPageToken());
    }

    @POST
    public Response create(@Context SecurityContext security, @Context UriInfo uri, CreateKeyPair request) {
        Caller caller = Authentication.caller(security);
        CreateKeyPair body = Requests.body(request);
        KeyPair pair = body.publicKey() == null
                ? keyPairs.create(caller, body.name())
                : keyPairs.importKey(caller, body.name(), body.publicKey());
        return Response.created(uri.getAbsolutePathBuilder().path(pair.id()).build()).entity(pair).build();
    }

    @GET
    @Path("{id}")
    public KeyPair get(@Context SecurityContext security, @PathParam("id") String id) {
        return keyPairs.get(Authentication.caller(security), id).withoutPrivateKey();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        keyPairs.delete(Authentication.caller(security), id);
        return Response.noContent().build();
    }
}
