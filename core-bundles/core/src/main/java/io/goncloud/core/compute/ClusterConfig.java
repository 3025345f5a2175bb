package io.goncloud.core.compute;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How the controller drives workers (configuration PID {@code io.goncloud.cluster}). */
@ObjectClassDefinition(name = "GCP cluster")
public @interface ClusterConfig {

    String PID = "io.goncloud.cluster";

    @AttributeDefinition(description = "Seconds without a heartbeat after which a worker is marked down and gets "
            + "no new instances")
    long node_timeout_seconds() default 30;

    @AttributeDefinition(description = "Seconds after which a task that got no answer is sent again")
    long task_resend_seconds() default 15;

    @AttributeDefinition(description = "Minutes a terminated instance stays listed")
    long terminated_retention_minutes() default 60;

    @AttributeDefinition(description = "Seconds between the controller's sweeps (down workers, resends, cleanup)")
    long sweep_seconds() default 5;

    @AttributeDefinition(description = "Where launches go among the up workers with room: 'spread' (the least "
            + "loaded) or 'binpack' (the most loaded that fits)")
    String placement() default "spread";
}
