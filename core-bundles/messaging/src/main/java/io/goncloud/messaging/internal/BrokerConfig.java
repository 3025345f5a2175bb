package io.goncloud.messaging.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.broker} (etc/io.goncloud.broker.cfg). */
@ObjectClassDefinition(name = "GCP embedded message broker")
public @interface BrokerConfig {

    @AttributeDefinition(description = "Run the embedded Artemis broker. false: an external broker is used "
            + "(see broker.url in io.goncloud.messaging)")
    boolean embedded() default true;

    @AttributeDefinition(description = "Address the broker's CORE acceptor binds to; without security.enabled keep "
            + "it on a loopback or otherwise private address")
    String acceptor_host() default "127.0.0.1";

    @AttributeDefinition(description = "Port of the broker's CORE acceptor", min = "1", max = "65535")
    int acceptor_port() default 61616;

    @AttributeDefinition(description = "Require a user for every connection: the controller's (controller.user) may "
            + "do everything, a worker's (named after its host id) only consume its own tasks and state and send "
            + "reports. false: anyone who reaches the acceptor may do anything")
    boolean security_enabled() default false;

    @AttributeDefinition(description = "The controller's user (broker.user in the controller's io.goncloud.messaging)")
    String controller_user() default "controller";

    /** Key {@code .controller.password}: the leading dot keeps it out of the component's service properties. */
    @AttributeDefinition(description = "The controller's password", type = AttributeType.PASSWORD)
    String _controller_password() default "";

    /** Key {@code .worker.credentials}: {@code hostId:password} entries, one per worker. */
    @AttributeDefinition(description = "One hostId:password per worker; the worker connects as user hostId "
            + "(broker.user and .broker.password in its io.goncloud.messaging)", type = AttributeType.PASSWORD)
    String[] _worker_credentials() default {};

    @AttributeDefinition(description = "Directory of the journal, bindings, paging and large messages. "
            + "Empty: ${karaf.data}/artemis")
    String data_dir() default "";
}
