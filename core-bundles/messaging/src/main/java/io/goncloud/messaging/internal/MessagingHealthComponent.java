package io.goncloud.messaging.internal;

import io.goncloud.messaging.MessagingHealth;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * {@link MessagingHealth} over the Artemis core client (configuration PID {@code io.goncloud.messaging}). A check
 * opens a connection and a session and closes them again: only a broker answers that.
 */
@Component(service = MessagingHealth.class, configurationPid = "io.goncloud.messaging")
@Designate(ocd = MessagingConfig.class)
public class MessagingHealthComponent implements MessagingHealth {

    private static final Logger LOG = LoggerFactory.getLogger(MessagingHealthComponent.class);

    private final String brokerUrl;
    private final ServerLocator locator;

    @Activate
    public MessagingHealthComponent(MessagingConfig config) throws Exception {
        this(config.broker_url(), Duration.ofMillis(config.connect_timeout_ms()));
    }

    MessagingHealthComponent(String brokerUrl, Duration timeout) throws Exception {
        if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new IllegalArgumentException("broker.url must not be empty");
        }
        this.brokerUrl = brokerUrl.trim();
        this.locator = locator(this.brokerUrl, timeout);
    }

    /**
     * A locator that tries each connection once and gives up after about {@code timeout}. Overrides the URL's
     * retry settings: after a first connection the locator also knows the broker from its topology and would
     * wait a whole retry interval (2 s by default) before failing.
     */
    static ServerLocator locator(String brokerUrl, Duration timeout) throws Exception {
        long millis = Math.max(1, timeout.toMillis());
        ServerLocator locator = ActiveMQClient.createServerLocator(brokerUrl);
        for (TransportConfiguration connector : locator.getStaticTransportConfigurations()) {
            // The URL may set its own connect-timeout-millis (camelCase is silently dropped from connector URLs).
            connector.getParams().putIfAbsent(TransportConstants.NETTY_CONNECT_TIMEOUT, (int) Math.min(millis,
                    Integer.MAX_VALUE));
        }
        return locator.setInitialConnectAttempts(1)
                .setReconnectAttempts(0)
                .setRetryInterval(Math.min(millis, 100))
                .setCallTimeout(millis)
                .setCallFailoverTimeout(millis);
    }

    @Override
    public boolean brokerReachable() {
        try (ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            return !session.isClosed();
        } catch (ActiveMQSecurityException e) {
            LOG.debug("The broker at {} answered but refused the session", brokerUrl, e);
            return true;
        } catch (Exception e) {
            LOG.debug("The broker at {} is not reachable: {}", brokerUrl, e.toString());
            return false;
        }
    }

    @Override
    public String brokerUrl() {
        return brokerUrl;
    }

    @Deactivate
    void deactivate() {
        locator.close();
    }
}
