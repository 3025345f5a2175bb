package io.goncloud.rest.resources;

import io.goncloud.rest.internal.Public;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a client or a load balancer needs before logging in: the API's description and its health. */
@Public
@Path("")
public class MetaResource {

    static final String OPENAPI_RESOURCE = "openapi.json";
    private final String openApi;

    public MetaResource() {
        try (InputStream in = MetaResource.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IOException(OPENAPI_RESOURCE + " is missing from the bundle");
            }
            openApi = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public String openApi() {
        return openApi;
    }

    /** Answers once the API is serving; used by the start script and load balancers. */
    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> health() {
        return Map.of("status", "ok");
    }
}
