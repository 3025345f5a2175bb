package io.goncloud.messaging.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.broker} (etc/io.goncloud.broker.cfg). */
@ObjectClassDefinition(name = "GCP embedded message broker")
public @interface BrokerConfig {

    @AttributeDefinition(description = "Run the embedded Artemis broker. false: an external broker is used "
            + "(see broker.url in io.goncloud.messaging)")
    boolean embedded() default true;

    @AttributeDefinition(description = "Address the broker's CORE acceptor binds to. Security is not enabled yet: "
            + "keep it on a loopback or otherwise private address")
    String acceptor_host() default "127.0.0.1";

    @AttributeDefinition(description = "Port of the broker's CORE acceptor", min = "1", max = "65535")
    int acceptor_port() default 61616;

    @AttributeDefinition(description = "Directory of the journal, bindings, paging and large messages. "
            + "Empty: ${karaf.data}/artemis")
    String data_dir() default "";
}
