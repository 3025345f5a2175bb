package io.goncloud.rest.internal;

import io.goncloud.api.service.AuthService;
import io.goncloud.api.service.CatalogService;
import io.goncloud.api.service.ElasticIpService;
import io.goncloud.api.service.InternetGatewayService;
import io.goncloud.api.service.NetworkAclService;
import io.goncloud.api.service.RouteTableService;
import io.goncloud.api.service.SecurityGroupService;
import io.goncloud.api.service.SubnetService;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VpcService;
import io.goncloud.rest.ApiEndpoint;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the API on the CXF servlet once every service it exposes is available, and withdraws it
 * when one goes away. The CXF servlet is mounted at {@code /api} (etc/org.apache.cxf.osgi.cfg) and the
 * HTTP port is pax-web's (etc/org.ops4j.pax.web.cfg), so the API answers at
 * {@code http://host:8080/api/v1}.
 */
@Component(immediate = true, configurationPid = "io.goncloud.api")
@Designate(ocd = ApiServer.Config.class)
public class ApiServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    @ObjectClassDefinition(name = "GCP REST API")
    public @interface Config {
        @AttributeDefinition(description = "Path of the API below the CXF servlet")
        String address() default "/v1";

        @AttributeDefinition(description = "Largest request body accepted, in bytes; larger ones get 413")
        long max_request_bytes() default ApiEndpoint.DEFAULT_MAX_BODY_BYTES;
    }

    private final Server server;

    @Activate
    public ApiServer(@Reference AuthService auth, @Reference UserService users, @Reference VpcService vpcs,
                     @Reference SubnetService subnets, @Reference CatalogService catalog,
                     @Reference RouteTableService routeTables, @Reference InternetGatewayService internetGateways,
                     @Reference SecurityGroupService securityGroups, @Reference NetworkAclService networkAcls,
                     @Reference ElasticIpService elasticIps, Config config) {
        server = ApiEndpoint.start(BusFactory.getDefaultBus(true), config.address(),
                new ApiEndpoint.Services(auth, users, vpcs, subnets, catalog, routeTables, internetGateways,
                        securityGroups, networkAcls, elasticIps), config.max_request_bytes());
        LOG.info("REST API published at {}", config.address());
    }

    @Deactivate
    void stop() {
        server.destroy();
        LOG.info("REST API withdrawn");
    }
}
