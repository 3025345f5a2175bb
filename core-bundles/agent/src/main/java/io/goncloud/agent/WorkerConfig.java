package io.goncloud.agent;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The worker's instance agent (configuration PID {@code io.goncloud.agent}, shared with the network agent,
 * whose metatype designates the PID: bnd allows one designation per PID).
 */
@ObjectClassDefinition(name = "GCP worker agent")
public @interface WorkerConfig {

    @AttributeDefinition(description = "This host's id; empty: the host name")
    String host_id() default "";

    @AttributeDefinition(description = "Whether this host runs instances (registers as a worker node)")
    boolean instances_enabled() default true;

    @AttributeDefinition(description = "Seconds between heartbeats (each carries the host's full instance inventory)")
    long heartbeat_seconds() default 5;

    @AttributeDefinition(description = "vCPUs offered per CPU core (as OpenStack's default: instances rarely use their whole share)")
    double cpu_allocation_ratio() default 16.0;

    @AttributeDefinition(description = "Memory offered per MiB of RAM")
    double memory_allocation_ratio() default 1.0;

    @AttributeDefinition(description = "This host's IPv4 address on the underlay between hosts, where other hosts' "
            + "tunnels to its segments end; reported in every heartbeat. Empty: a single host, no tunnels")
    String underlay_address() default "";

    @AttributeDefinition(description = "Seconds a stopping instance gets to shut down before it is killed")
    long stop_grace_seconds() default 10;
}
