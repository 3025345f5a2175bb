package io.goncloud.itests;

import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.network.FirewallDriver;
import io.goncloud.api.spi.network.NetworkDriver;
import io.goncloud.messaging.MessagingHealth;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;

import javax.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

/**
 * Boots the controller distribution as built: the REST API answers, the embedded broker listens on the configured
 * address (not only 127.0.0.1: workers on other hosts connect to it), and no agent or driver is there.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ControllerDistributionTest {

    /** Services injected into the first test wait this long: a loaded CI machine boots slowly (10 s is Pax Exam's default). */
    private static final long BOOT_TIMEOUT_MS = 120_000;

    private static final String HTTP_PORT = "gcp.itest.http.port";
    private static final String BROKER_PORT = "gcp.itest.broker.port";
    /** A loopback address other than 127.0.0.1 stands for the controller's private address. */
    private static final String BROKER_HOST = "127.0.0.2";

    @Inject
    private BundleContext context;
    @Inject
    @Filter(timeout = BOOT_TIMEOUT_MS)
    private MessagingHealth messaging;

    private Http api;

    @Configuration
    public Option[] config() {
        int httpPort = Distributions.freePort();
        int brokerPort = Distributions.freePort();
        return Distributions.options("gcp-controller",
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort)),
            editConfigurationFilePut("etc/io.goncloud.broker.cfg", "acceptor.host", BROKER_HOST),
            editConfigurationFilePut("etc/io.goncloud.broker.cfg", "acceptor.port", String.valueOf(brokerPort)),
            editConfigurationFilePut("etc/io.goncloud.messaging.cfg", "broker.url", "tcp://" + BROKER_HOST + ":" + brokerPort),
            systemProperty(HTTP_PORT).value(String.valueOf(httpPort)),
            systemProperty(BROKER_PORT).value(String.valueOf(brokerPort)));
    }

    @Before
    public void awaitApi() throws Exception {
        api = new Http("http://127.0.0.1:" + System.getProperty(HTTP_PORT) + "/api/v1");
        api.awaitReady(Duration.ofSeconds(90));
    }

    @Test
    public void restApiAnswersHealthAndEveryBundleIsActive() throws Exception {
        Http.Reply health = api.get("/health", null);
        assertEquals(health.toString(), 200, health.status);
        Distributions.awaitAllActive(context, Duration.ofSeconds(30));
        Distributions.assertBootFeaturesInstalled();
        assertEquals(200, new Http("http://127.0.0.1:" + System.getProperty(HTTP_PORT)).get("/console/", null).status);
    }

    @Test
    public void noAgentsAndNoDrivers() throws Exception {
        assertEquals(List.of(), Distributions.bundlesMatching(context, List.of("gcp-agent", "gcp-driver")));
        assertNull(context.getServiceReferences(ComputeDriver.class.getName(), null));
        assertNull(context.getServiceReferences(NetworkDriver.class.getName(), null));
        assertNull(context.getServiceReferences(FirewallDriver.class.getName(), null));
        assertNull("no task handler: tasks are for workers",
                context.getServiceReferences("io.goncloud.api.cluster.TaskHandler", null));
    }

    @Test
    public void embeddedBrokerListensOnTheConfiguredAddress() {
        assertTrue(messaging.brokerUrl(), messaging.brokerUrl().contains(BROKER_HOST));
        assertTrue("the broker should accept connections at " + messaging.brokerUrl(), messaging.brokerReachable());
        int port = Integer.parseInt(System.getProperty(BROKER_PORT));
        assertTrue(connects(BROKER_HOST, port));
        assertFalse("bound to the configured address only", connects("127.0.0.1", port));
    }

    private static boolean connects(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
