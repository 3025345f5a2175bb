package io.goncloud.driver.sample.process;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.driver.sample.process} (etc/io.goncloud.driver.sample.process.cfg). */
@ObjectClassDefinition(name = "GCP sample process compute driver",
        description = "Runs instances as host processes, each in a network namespace of its own (image format process)")
public @interface ProcessDriverConfig {

    @AttributeDefinition(name = "Host network namespace",
            description = "Named network namespace (ip netns) where the network driver leaves the instance-side "
                    + "veth devices; empty = the platform process's own network namespace")
    String host_netns() default "";

    @AttributeDefinition(name = "State directory",
            description = "Where each instance's directory (pid, exit status, console log) lives")
    String state_dir() default ProcessComputeDriver.DEFAULT_STATE_DIR;
}
