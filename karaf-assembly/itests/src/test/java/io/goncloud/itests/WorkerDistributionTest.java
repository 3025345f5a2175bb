package io.goncloud.itests;

import io.goncloud.api.service.NetworkStateService;

import io.goncloud.api.spi.Driver;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import javax.inject.Inject;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

/**
 * Boots the worker distribution as built, with no controller to talk to: it must come up with no database, JPA,
 * JDBC or REST bundle at all, register its drivers, and let a driver be removed and added at runtime without
 * refreshing anything else. The agents are switched off (enabled, instances.enabled) and the compute drivers keep
 * their files under target/ and use libvirt's in-memory test driver, so that the host is left untouched.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WorkerDistributionTest {

    /** Symbolic-name fragments of what a worker must never hold. */
    private static final List<String> FORBIDDEN = List.of("persistence", "jpa", "jdbc", "h2database", "postgresql",
            "hikari", "flyway", "cxf", "pax-web", "jetty", "gcp-core", "gcp-rest", "gcp-ui", "gcp-shell");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;
    @Inject
    private FeaturesService features;
    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        String state = new File("target/worker-state").getAbsolutePath();
        return Distributions.options("gcp-worker",
            // No controller: nothing listens there, and the worker must boot all the same.
            editConfigurationFilePut("etc/io.goncloud.messaging.cfg", "broker.url",
                    "tcp://127.0.0.1:" + Distributions.freePort()),
            editConfigurationFilePut("etc/io.goncloud.agent.cfg", "host.id", "gcpit-worker"),
            editConfigurationFilePut("etc/io.goncloud.agent.cfg", "underlay.address", "127.0.0.1"),
            // Once the agents can activate on a worker, they must still leave this host's network alone.
            editConfigurationFilePut("etc/io.goncloud.agent.cfg", "enabled", "false"),
            editConfigurationFilePut("etc/io.goncloud.agent.cfg", "instances.enabled", "false"),
            editConfigurationFilePut("etc/io.goncloud.driver.docker.cfg", "owner",
                    "gcpit-worker-" + ProcessHandle.current().pid()),
            editConfigurationFilePut("etc/io.goncloud.driver.docker.cfg", "state.dir", state + "/docker"),
            editConfigurationFilePut("etc/io.goncloud.driver.libvirt.cfg", "uri", "test:///default"),
            editConfigurationFilePut("etc/io.goncloud.driver.libvirt.cfg", "state.dir", state + "/libvirt"));
    }

    @Before
    public void awaitBoot() {
        Distributions.awaitAllActive(context, DEADLINE);
    }

    @Test
    public void bootsWithoutAnyDatabaseOrRestBundle() throws Exception {
        Distributions.assertBootFeaturesInstalled();
        assertEquals(List.of(), Distributions.bundlesMatching(context, FORBIDDEN));
        assertNull(context.getServiceReferences("javax.sql.DataSource", null));
        assertNull(context.getServiceReferences("org.osgi.service.jdbc.DataSourceFactory", null));
        for (String feature : List.of("gcp-worker", "gcp-agent", "gcp-messaging")) {
            assertTrue(feature, features.isInstalled(features.getFeature(feature)));
        }
        assertFalse(features.isInstalled(features.getFeature("gcp-core")));
        assertEquals(1, Distributions.bundlesMatching(context, List.of("gcp-agent")).size());
        assertEquals(1, Distributions.bundlesMatching(context, List.of("gcp-messaging")).size());
    }

    @Test
    public void driverServicesAreRegistered() {
        for (String name : List.of("linux-bridge", "nftables", "docker", "libvirt")) {
            assertTrue("driver " + name + " registered", Distributions.eventually(DEADLINE, () -> driver(name) != null));
        }
    }

    /**
     * A worker has no database: its agents take the desired network state from the broker (the worker's
     * io.goncloud.statefeed), and wait for nothing else.
     */
    @Test
    public void theAgentsTakeTheirDesiredStateFromTheBrokerAndWaitForNothingElse() {
        assertTrue("a NetworkStateService fed by the broker for host gcpit-worker", Distributions.eventually(DEADLINE,
                () -> {
                    try {
                        return !context.getServiceReferences(NetworkStateService.class, "(gcp.host.id=gcpit-worker)").isEmpty();
                    } catch (org.osgi.framework.InvalidSyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        ComponentDescriptionDTO agent = scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.equals("io.goncloud.agent.NetworkAgent")).findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkAgent component"));
        assertTrue("the agents are enabled", scr.isComponentEnabled(agent));
        assertTrue("the NetworkAgent is satisfied", Distributions.eventually(DEADLINE, () -> {
            List<ComponentConfigurationDTO> configs = new ArrayList<>(scr.getComponentConfigurationDTOs(agent));
            return !configs.isEmpty() && configs.stream().allMatch(c -> c.state != ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                    && c.state != ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION);
        }));
    }

    @Test
    public void aDriverIsRemovedAndAddedAtRuntimeWithoutRefreshingAnythingElse() throws Exception {
        assertTrue(Distributions.eventually(DEADLINE, () -> driver("docker") != null));
        Bundle docker = driver("docker").getBundle();
        String driverBundle = docker.getSymbolicName();
        List<String> others = Collections.synchronizedList(new ArrayList<>());
        // A refresh stops and restarts bundles (and may unresolve them): any such event of another bundle counts.
        SynchronousBundleListener listener = event -> {
            String name = event.getBundle().getSymbolicName();
            int type = event.getType();
            if (!driverBundle.equals(name) && (type == BundleEvent.STOPPED || type == BundleEvent.UNRESOLVED
                    || type == BundleEvent.STARTED || type == BundleEvent.UPDATED)) {
                others.add(name + " " + type);
            }
        };
        context.addBundleListener(listener);
        try {
            features.uninstallFeature("gcp-driver-compute-docker");
            assertTrue("the docker driver's service goes", Distributions.eventually(DEADLINE, () -> driver("docker") == null));
            assertEquals(Bundle.UNINSTALLED, docker.getState());
            assertTrue("the other drivers stay", driver("libvirt") != null && driver("linux-bridge") != null);

            features.installFeature("gcp-driver-compute-docker");
            assertTrue("the docker driver's service is back", Distributions.eventually(DEADLINE, () -> driver("docker") != null));
        } finally {
            context.removeBundleListener(listener);
        }
        assertEquals("bundles other than the driver's stopped or started", List.of(), others);
        Distributions.awaitAllActive(context, DEADLINE);
    }

    /** The driver service named {@code name} (any SPI), or null. */
    private ServiceReference<?> driver(String name) {
        try {
            for (String spi : List.of("io.goncloud.api.spi.compute.ComputeDriver", "io.goncloud.api.spi.network.NetworkDriver",
                    "io.goncloud.api.spi.network.FirewallDriver")) {
                ServiceReference<?>[] references = context.getServiceReferences(spi,
                        "(" + Driver.PROPERTY_DRIVER_NAME + "=" + name + ")");
                if (references != null) {
                    return references[0];
                }
            }
            return null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
