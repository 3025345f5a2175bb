package io.goncloud.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goncloud.rest.resources.AuthResource;
import io.goncloud.rest.resources.CatalogResource;
import io.goncloud.rest.resources.ElasticIpResource;
import io.goncloud.rest.resources.EventResource;
import io.goncloud.rest.resources.ImageResource;
import io.goncloud.rest.resources.InstanceResource;
import io.goncloud.rest.resources.InternetGatewayResource;
import io.goncloud.rest.resources.KeyPairResource;
import io.goncloud.rest.resources.MetaResource;
import io.goncloud.rest.resources.NetworkAclResource;
import io.goncloud.rest.resources.RouteTableResource;
import io.goncloud.rest.resources.SecurityGroupResource;
import io.goncloud.rest.resources.SnapshotResource;
import io.goncloud.rest.resources.SubnetResource;
import io.goncloud.rest.resources.QuotaResource;
import io.goncloud.rest.resources.UserResource;
import io.goncloud.rest.resources.VolumeResource;
import io.goncloud.rest.resources.VpcResource;
import io.goncloud.rest.resources.WorkerNodeResource;
import org.junit.jupiter.api.Test;

import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The served OpenAPI document describes exactly the routes the resources implement. */
class OpenApiDocumentTest {

    private static final List<Class<?>> RESOURCES = List.of(AuthResource.class, UserResource.class,
            VpcResource.class, SubnetResource.class, CatalogResource.class, MetaResource.class,
            RouteTableResource.class, InternetGatewayResource.class, SecurityGroupResource.class,
            NetworkAclResource.class, ElasticIpResource.class, InstanceResource.class, KeyPairResource.class,
            ImageResource.class, WorkerNodeResource.class, EventResource.class, QuotaResource.class,
            VolumeResource.class, SnapshotResource.class);

    @Test
    void documentedRoutesMatchImplementedRoutes() throws Exception {
        Set<String> implemented = new TreeSet<>();
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    implemented.add(verb + " " + join(base, sub == null ? "" : sub.value()));
                }
            }
        }
        JsonNode doc;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> verbs = doc.path("paths").path(path).fieldNames(); verbs.hasNext(); ) {
                String verb = verbs.next();
                if (!verb.equals("parameters")) {
                    documented.add(verb.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertEquals(implemented, documented);
        assertEquals("3.0.3", doc.path("openapi").asText());
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String path = "/" + base + "/" + sub;
        return path.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }
}
