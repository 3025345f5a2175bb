package io.goncloud.messaging.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.messaging} (etc/io.goncloud.messaging.cfg). */
@ObjectClassDefinition(name = "GCP messaging client")
public @interface MessagingConfig {

    String PID = "io.goncloud.messaging";

    @AttributeDefinition(description = "Artemis core URL of the broker, e.g. tcp://127.0.0.1:61616; Artemis "
            + "connector parameters may be appended (?connect-timeout-millis=...)")
    String broker_url() default "tcp://127.0.0.1:61616";

    @AttributeDefinition(description = "Connect and call timeout in milliseconds: how long a health check or a "
            + "send waits for the broker before giving up", min = "1")
    long connect_timeout_ms() default 2000;

    @AttributeDefinition(description = "User for the broker; empty: connect without credentials")
    String broker_user() default "";

    /**
     * Key {@code .broker.password}: the leading dot keeps it out of the service properties of the components
     * that read this PID (DS does not propagate private properties).
     */
    @AttributeDefinition(description = "Password of broker.user", type = AttributeType.PASSWORD)
    String _broker_password() default "";

    @AttributeDefinition(description = "Threads (and broker consumers) per task handler: tasks of different "
            + "instances run concurrently up to this many", min = "1")
    int task_threads() default 4;

    @AttributeDefinition(description = "Delay in milliseconds before a task or report whose handler failed is "
            + "handed to it again; doubles on each further failure", min = "1")
    long redelivery_delay_ms() default 1000;

    @AttributeDefinition(description = "Upper bound of the doubling redelivery delay, in milliseconds", min = "1")
    long redelivery_max_delay_ms() default 10_000;

    @AttributeDefinition(description = "Attempts to handle one message before it is moved to the dead-letter "
            + "address", min = "1")
    int max_delivery_attempts() default 20;

    @AttributeDefinition(description = "Where messages that could not be handled (or not even read) are moved")
    String dead_letter_address() default "DLQ";

    @AttributeDefinition(description = "Upper bound, in milliseconds, of the doubling pause between consumer "
            + "reconnection attempts while the broker is unreachable", min = "1")
    long reconnect_max_delay_ms() default 5000;
}
