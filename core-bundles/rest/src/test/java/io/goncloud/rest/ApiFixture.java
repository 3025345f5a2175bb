package io.goncloud.rest;

import io.goncloud.core.auth.AuthServiceImpl;
import io.goncloud.core.auth.UserServiceImpl;
import io.goncloud.core.catalog.CatalogServiceImpl;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.testing.TestDatabase;
import io.goncloud.core.vpc.ElasticIpServiceImpl;
import io.goncloud.core.vpc.InternetGatewayServiceImpl;
import io.goncloud.core.vpc.NetworkAclServiceImpl;
import io.goncloud.core.vpc.PublicIpPool;
import io.goncloud.core.vpc.RouteTableServiceImpl;
import io.goncloud.core.vpc.SecurityGroupServiceImpl;
import io.goncloud.core.vpc.SubnetServiceImpl;
import io.goncloud.core.vpc.VpcServiceImpl;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The API as Karaf serves it, for HTTP tests: the real services on a fresh database, the endpoint on
 * CXF's servlet mounted at /api in Jetty (as pax-web mounts it).
 */
final class ApiFixture implements AutoCloseable {

    final TestDatabase testDb;
    final Database db;
    final HttpApi api;
    private final Bus bus;
    private final Server server;
    private final org.eclipse.jetty.server.Server jetty;

    ApiFixture(TestDatabase.Kind kind) {
        testDb = TestDatabase.create(kind);
        db = testDb.database();
        AuthServiceImpl auth = new AuthServiceImpl(db, "a-test-secret-of-at-least-32-bytes!!".getBytes(),
                Duration.ofMinutes(15), Duration.ofDays(7), 4, Clock.systemUTC());
        bus = BusFactory.newInstance().createBus();
        jetty = startServletContainer(bus);
        server = ApiEndpoint.start(bus, "/v1",
                new ApiEndpoint.Services(auth, new UserServiceImpl(db), new VpcServiceImpl(db),
                        new SubnetServiceImpl(db, List.of("gcp-zone-1")), new CatalogServiceImpl(db),
                        new RouteTableServiceImpl(db), new InternetGatewayServiceImpl(db),
                        new SecurityGroupServiceImpl(db), new NetworkAclServiceImpl(db),
                        new ElasticIpServiceImpl(db, new PublicIpPool(PublicIpPool.DEFAULT_CIDR,
                                PublicIpPool.DEFAULT_RESERVED))),
                ApiEndpoint.DEFAULT_MAX_BODY_BYTES);
        api = new HttpApi("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/api/v1");
    }

    private static org.eclipse.jetty.server.Server startServletContainer(Bus bus) {
        CXFNonSpringServlet servlet = new CXFNonSpringServlet();
        servlet.setBus(bus);
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/api");
        context.addServlet(new ServletHolder(servlet), "/*");
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Jetty", e);
        }
        return jetty;
    }

    @Override
    public void close() {
        try {
            server.destroy();
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            bus.shutdown(true);
            testDb.close();
        }
    }
}
