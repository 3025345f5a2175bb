package io.goncloud.messaging.internal;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;

import java.time.Duration;

/**
 * How this host reaches the broker: URL, timeout and credentials of {@code io.goncloud.messaging}. Every locator
 * made here fails fast and never reconnects on its own: senders must answer within the timeout, and consumers
 * reconnect in their own loop (which also covers a broker that is not up yet when they start).
 */
record BrokerClient(String url, Duration timeout, String user, String password) {

    BrokerClient {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("broker.url must not be empty");
        }
        url = url.trim();
        user = user == null || user.isBlank() ? null : user;
        password = user == null ? null : password;
    }

    static BrokerClient of(MessagingConfig config) {
        return new BrokerClient(config.broker_url(), Duration.ofMillis(config.connect_timeout_ms()),
                config.broker_user(), config._broker_password());
    }

    /**
     * A locator that tries each connection once and gives up after about {@code timeout}. Overrides the URL's
     * retry settings: after a first connection the locator also knows the broker from its topology and would
     * wait a whole retry interval (2 s by default) before failing.
     */
    static ServerLocator failFastLocator(String brokerUrl, Duration timeout) throws Exception {
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

    /** For senders: blocking durable sends, so a send that returned is in the broker's journal. */
    ServerLocator producerLocator() throws Exception {
        return failFastLocator(url, timeout).setBlockOnDurableSend(true);
    }

    /**
     * For consumers: no client-side buffer (window 0), so a busy consumer does not sit on messages that an idle
     * one could take, and message groups spread over all consumers. Acknowledgements wait for the broker, so a
     * lost one shows as an error and the next message is not taken before the broker has the ack. A dead broker
     * host is noticed within about 15 s even when no socket closes.
     */
    ServerLocator consumerLocator() throws Exception {
        return failFastLocator(url, timeout)
                .setConsumerWindowSize(0)
                .setBlockOnAcknowledge(true)
                .setClientFailureCheckPeriod(5_000)
                .setConnectionTTL(15_000);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "BrokerClient[" + url + (user == null ? "" : ", user " + user) + "]";
    }

    /** A non-transacted session whose acknowledgements go to the broker at once (no ack batching). */
    ClientSession session(ClientSessionFactory factory) throws ActiveMQException {
        return factory.createSession(user, password, false, true, true, false, 0);
    }
}
