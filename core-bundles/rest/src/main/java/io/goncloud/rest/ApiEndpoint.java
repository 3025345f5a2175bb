package io.goncloud.rest;

import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;
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
import io.goncloud.api.service.SubnetService;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VolumeService;
import io.goncloud.api.service.VpcService;
import io.goncloud.api.service.WorkerNodeService;
import io.goncloud.rest.internal.ApiJson;
import io.goncloud.rest.internal.Authentication;
import io.goncloud.rest.internal.BodySizeLimit;
import io.goncloud.rest.internal.ChangeFeed;
import io.goncloud.rest.internal.ErrorMapper;
import io.goncloud.rest.internal.RequestIds;
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
import io.goncloud.rest.resources.QuotaResource;
import io.goncloud.rest.resources.RouteTableResource;
import io.goncloud.rest.resources.SecurityGroupResource;
import io.goncloud.rest.resources.SnapshotResource;
import io.goncloud.rest.resources.SubnetResource;
import io.goncloud.rest.resources.UserResource;
import io.goncloud.rest.resources.VolumeResource;
import io.goncloud.rest.resources.VpcResource;
import io.goncloud.rest.resources.WorkerNodeResource;
import org.apache.cxf.Bus;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;

import java.util.List;

/**
 * Assembles the /api/v1 endpoint: resources over the services, plus the filters and mappers that give
 * the whole API one JSON dialect, one error shape and one authentication rule. Used by the OSGi
 * component and by tests alike.
 */
public final class ApiEndpoint {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    private ApiEndpoint() {
    }

    /** The services the API exposes. */
    public record Services(AuthService auth, UserService users, VpcService vpcs, SubnetService subnets,
                           CatalogService catalog, RouteTableService routeTables,
                           InternetGatewayService internetGateways, SecurityGroupService securityGroups,
                           NetworkAclService networkAcls, ElasticIpService elasticIps, InstanceService instances,
                           KeyPairService keyPairs, ImageService images, WorkerNodeService nodes,
                           QuotaService quotas, VolumeService volumes) {
    }

    /**
     * Starts the endpoint.
     *
     * @param address a path relative to the CXF servlet (in Karaf) or a full http:// URL (standalone)
     * @param changes  wakes the live event streams; the caller has the database tell it about changes
     */
    public static Server start(Bus bus, String address, Services services, ChangeFeed changes, long maxBodyBytes) {
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(bus);
        factory.setAddress(address);
        factory.setServiceBeans(List.of(
                new AuthResource(services.auth()),
                new UserResource(services.users()),
                new VpcResource(services.vpcs()),
                new SubnetResource(services.subnets()),
                new CatalogResource(services.catalog()),
                new RouteTableResource(services.routeTables()),
                new InternetGatewayResource(services.internetGateways()),
                new SecurityGroupResource(services.securityGroups()),
                new NetworkAclResource(services.networkAcls()),
                new ElasticIpResource(services.elasticIps()),
                new InstanceResource(services.instances()),
                new KeyPairResource(services.keyPairs()),
                new ImageResource(services.catalog(), services.images()),
                new WorkerNodeResource(services.nodes()),
                new QuotaResource(services.quotas()),
                new VolumeResource(services.volumes()),
                new SnapshotResource(services.volumes()),
                new EventResource(services.instances(), changes),
                new MetaResource()));
        factory.setProviders(List.of(
                new JacksonJsonProvider(ApiJson.mapper()),
                new RequestIds(),
                new BodySizeLimit(maxBodyBytes),
                new Authentication(services.auth()),
                new ErrorMapper()));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // CXF looks up some of its extensions through the context class loader.
        thread.setContextClassLoader(ApiEndpoint.class.getClassLoader());
        try {
            return factory.create();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
