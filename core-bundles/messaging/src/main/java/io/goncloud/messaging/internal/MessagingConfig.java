package io.goncloud.messaging.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.messaging} (etc/io.goncloud.messaging.cfg). */
@ObjectClassDefinition(name = "GCP messaging client")
public @interface MessagingConfig {

    @AttributeDefinition(description = "Artemis core URL of the broker, e.g. tcp://127.0.0.1:61616; Artemis "
            + "connector parameters may be appended (?connect-timeout-millis=...)")
    String broker_url() default "tcp://127.0.0.1:61616";

    @AttributeDefinition(description = "Connect and call timeout in milliseconds when checking the broker", min = "1")
    long connect_timeout_ms() default 2000;
}
