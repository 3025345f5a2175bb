package io.goncloud.messaging.internal;

import io.goncloud.messaging.MessagingHealth;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
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
@Component(service = MessagingHealth.class, configurationPid = MessagingConfig.PID)
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

    /** The fail-fast locator of {@link BrokerClient#failFastLocator}. */
    static ServerLocator locator(String brokerUrl, Duration timeout) throws Exception {
        return BrokerClient.failFastLocator(brokerUrl, timeout);
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
