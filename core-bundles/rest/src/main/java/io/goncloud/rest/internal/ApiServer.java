package io.goncloud.rest.internal;

import io.goncloud.api.service.AuthService;
import io.goncloud.api.service.CatalogService;
import io.goncloud.api.service.ElasticIpService;
import io.goncloud.api.service.ImageService;
import io.goncloud.api.service.InstanceService;
import io.goncloud.api.service.InternetGatewayService;
import io.goncloud.api.service.KeyPairService;
import io.goncloud.api.service.NetworkAclService;
import io.goncloud.api.service.QuotaService;
import io.goncloud.api.service.RouteTableService;
import io.goncloud.api.service.SecurityGroupService;
import io.goncloud.api.service.StateChangeListener;
import io.goncloud.api.service.SubnetService;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VolumeService;
import io.goncloud.api.service.VpcService;
import io.goncloud.api.service.WorkerNodeService;
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
 *
 * <p>It is also a {@link StateChangeListener}: the database tells it after every committed write, and it wakes
 * the live event streams (GET /events).
 */
@Component(immediate = true, configurationPid = "io.goncloud.api", service = StateChangeListener.class)
@Designate(ocd = ApiServer.Config.class)
public class ApiServer implements StateChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    @ObjectClassDefinition(name = "GCP REST API")
    public @interface Config {
        @AttributeDefinition(description = "Path of the API below the CXF servlet")
        String address() default "/v1";

        @AttributeDefinition(description = "Largest request body accepted, in bytes; larger ones get 413")
        long max_request_bytes() default ApiEndpoint.DEFAULT_MAX_BODY_BYTES;

        @AttributeDefinition(description = "Live event streams (GET /events) one user may have open at once; "
                + "more get 429")
        int max_event_streams_per_user() default ChangeFeed.DEFAULT_MAX_STREAMS_PER_USER;
    }

    private final ChangeFeed changes;
    private final Server server;

    @Activate
    public ApiServer(@Reference AuthService auth, @Reference UserService users, @Reference VpcService vpcs,
                     @Reference SubnetService subnets, @Reference CatalogService catalog,
                     @Reference RouteTableService routeTables, @Reference InternetGatewayService internetGateways,
                     @Reference SecurityGroupService securityGroups, @Reference NetworkAclService networkAcls,
                     @Reference ElasticIpService elasticIps, @Reference InstanceService instances,
                     @Reference KeyPairService keyPairs, @Reference ImageService images,
                     @Reference WorkerNodeService nodes, @Reference QuotaService quotas,
                     @Reference VolumeService volumes, Config config) {
        changes = new ChangeFeed(config.max_event_streams_per_user());
        server = ApiEndpoint.start(BusFactory.getDefaultBus(true), config.address(),
                new ApiEndpoint.Services(auth, users, vpcs, subnets, catalog, routeTables, internetGateways,
                        securityGroups, networkAcls, elasticIps, instances, keyPairs, images, nodes, quotas, volumes), changes,
                config.max_request_bytes());
        LOG.info("REST API published at {}", config.address());
    }

    @Override
    public void desiredStateChanged() {
        changes.desiredStateChanged();
    }

    @Deactivate
    void stop() {
        changes.close(); // ends the open event streams
        server.destroy();
        LOG.info("REST API withdrawn");
    }
}
