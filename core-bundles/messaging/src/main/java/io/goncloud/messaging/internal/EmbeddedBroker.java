package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The platform's own Artemis broker (configuration PID {@code io.goncloud.broker}): one CORE acceptor on the
 * configured host and port, a persistent journal under {@code data_dir}, no JMX, and with {@code security.enabled}
 * a user per worker and one for the controller ({@link BrokerAccess}). With
 * {@code embedded=false} it does nothing and an external broker is used.
 */
@Component(configurationPid = "io.goncloud.broker", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BrokerConfig.class)
public class EmbeddedBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    static final String ACCEPTOR_NAME = "core";
    static final String DEAD_LETTER_QUEUE = "DLQ";
    static final String EXPIRY_QUEUE = "ExpiryQueue";
    /** The platform's queues: gcp.tasks.&lt;hostId&gt; and gcp.reports. */
    static final String PLATFORM_ADDRESSES = "gcp.#";
    static final int PLATFORM_MAX_DELIVERY_ATTEMPTS = 20;
    /** Another broker holding the journal makes activation fail after this instead of blocking SCR forever. */
    static final long JOURNAL_LOCK_TIMEOUT_MS = 10_000;

    /** null when the broker is external. */
    private final ActiveMQServer server;

    @Activate
    public EmbeddedBroker(BrokerConfig config) throws Exception {
        if (!config.embedded()) {
            LOG.info("Embedded broker disabled (io.goncloud.broker embedded=false): an external broker is used");
            server = null;
            return;
        }
        BrokerAccess access = null;
        if (config.security_enabled()) {
            access = new BrokerAccess(config.controller_user(), config._controller_password(),
                    BrokerAccess.workers(config._worker_credentials()), DEAD_LETTER_QUEUE);
        } else {
            LOG.warn("The embedded broker lets anyone in (io.goncloud.broker security.enabled=false)");
        }
        server = start(configuration(config.acceptor_host(), config.acceptor_port(), dataDir(config.data_dir())),
                access);
    }

    /** Starts a broker without OSGi (tests); {@code access} null: no security. */
    EmbeddedBroker(String host, int port, Path dataDir, BrokerAccess access) throws Exception {
        server = start(configuration(host, port, dataDir), access);
    }

    /** Starts a broker without OSGi and without security (tests). */
    EmbeddedBroker(String host, int port, Path dataDir) throws Exception {
        this(host, port, dataDir, null);
    }

    @Deactivate
    void deactivate() {
        stop(server);
    }

    /** The running broker, or null when the broker is external. */
    ActiveMQServer server() {
        return server;
    }

    static Path dataDir(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim()).toAbsolutePath();
        }
        String karafData = System.getProperty("karaf.data");
        if (karafData == null || karafData.isBlank()) {
            throw new IllegalStateException("data.dir is empty in io.goncloud.broker and karaf.data is not set");
        }
        return Path.of(karafData, "artemis").toAbsolutePath();
    }

    /** The broker's whole configuration: nothing is read from files. */
    static Configuration configuration(String host, int port, Path dataDir) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("acceptor.host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("acceptor.port must be within 1-65535, not " + port);
        }
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, host.trim());
        params.put(TransportConstants.PORT_PROP_NAME, port);
        params.put(TransportConstants.PROTOCOLS_PROP_NAME, "CORE");

        AddressSettings defaults = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_QUEUE))
                .setExpiryAddress(SimpleString.of(EXPIRY_QUEUE))
                .setAutoCreateDeadLetterResources(false)
                .setAutoCreateExpiryResources(false);
        // Tasks and reports: a handler's failure is retried with a delay by the consumer itself (QueueConsumer),
        // which keeps an instance's tasks in order. What the broker gets back unacknowledged (a consumer's
        // connection lost) is redelivered at once, since a redelivery delay would let the instance's next task
        // overtake it; a message that keeps coming back goes to the DLQ after PLATFORM_MAX_DELIVERY_ATTEMPTS.
        AddressSettings platform = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_QUEUE))
                .setExpiryAddress(SimpleString.of(EXPIRY_QUEUE))
                .setRedeliveryDelay(0)
                .setMaxDeliveryAttempts(PLATFORM_MAX_DELIVERY_ATTEMPTS);

        return new ConfigurationImpl()
                .setName("gcp")
                .setPersistenceEnabled(true)
                // Plain files: no dependency on libaio being installed on the host.
                .setJournalType(JournalType.NIO)
                .setJournalDatasync(true)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .setNodeManagerLockDirectory(dataDir.resolve("journal").toString())
                .setJournalLockAcquisitionTimeout(JOURNAL_LOCK_TIMEOUT_MS)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration(
                        new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, ACCEPTOR_NAME))
                .addAddressSetting("#", defaults)
                .addAddressSetting(PLATFORM_ADDRESSES, platform)
                .addQueueConfiguration(QueueConfiguration.of(DEAD_LETTER_QUEUE).setRoutingType(RoutingType.ANYCAST))
                .addQueueConfiguration(QueueConfiguration.of(EXPIRY_QUEUE).setRoutingType(RoutingType.ANYCAST));
    }

    /**
     * Starts a broker and checks that its acceptor listens; on failure nothing is left running. With {@code access},
     * every connection needs a user and every operation its permission ({@link BrokerAccess}).
     */
    static ActiveMQServer start(Configuration configuration, BrokerAccess access) throws Exception {
        TransportConfiguration acceptor = configuration.getAcceptorConfigurations().iterator().next();
        Object host = acceptor.getParams().get(TransportConstants.HOST_PROP_NAME);
        Object port = acceptor.getParams().get(TransportConstants.PORT_PROP_NAME);
        warnIfNotLoopback(String.valueOf(host));

        ActiveMQServer server = ActiveMQServers.newActiveMQServer(configuration);
        if (access != null) {
            configuration.setSecurityEnabled(true);
            server.setSecurityManager(access);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // In OSGi, let Artemis find its own classes whatever the caller's context class loader is.
        thread.setContextClassLoader(ActiveMQServer.class.getClassLoader());
        try {
            server.start();
            Acceptor started = server.getRemotingService() == null ? null
                    : server.getRemotingService().getAcceptor(ACCEPTOR_NAME);
            if (!server.isActive() || started == null || !started.isStarted()) {
                throw new IllegalStateException("the embedded broker did not start with a CORE acceptor on " + host
                        + ":" + port + " (port in use, or its journal locked by another broker?)");
            }
        } catch (Exception | Error e) {
            stop(server);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
        LOG.info("Embedded Artemis broker started: CORE acceptor on {}:{}, journal in {}", host, port,
                Path.of(configuration.getJournalDirectory()).getParent());
        return server;
    }

    static void stop(ActiveMQServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
            LOG.info("Embedded Artemis broker stopped");
        } catch (Exception e) {
            LOG.warn("Stopping the embedded Artemis broker failed", e);
        }
    }

    private static void warnIfNotLoopback(String host) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                LOG.warn("The embedded broker listens on {}: enable its security or keep that address private", host);
            }
        } catch (UnknownHostException e) {
            LOG.warn("The embedded broker's acceptor host {} does not resolve", host);
        }
    }
}
