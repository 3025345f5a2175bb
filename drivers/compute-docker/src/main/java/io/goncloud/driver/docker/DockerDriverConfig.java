package io.goncloud.driver.docker;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.driver.docker} (etc/io.goncloud.driver.docker.cfg). */
@ObjectClassDefinition(name = "GCP Docker compute driver",
        description = "Runs instances as Docker containers (image format docker-rootfs)")
public @interface DockerDriverConfig {

    @AttributeDefinition(name = "Docker host",
            description = "Docker Engine API endpoint: unix:///path/to/docker.sock or tcp://host:port (plain, no TLS)")
    String docker_host() default DockerComputeDriver.DEFAULT_DOCKER_HOST;

    @AttributeDefinition(name = "Host network namespace",
            description = "Named network namespace (ip netns) where the network driver leaves the instance-side "
                    + "veth devices; empty = the platform process's own network namespace")
    String host_netns() default "";

    @AttributeDefinition(name = "Owner",
            description = "Label of this platform's containers (gcp.owner); the driver lists and adopts only those, "
                    + "so platforms sharing a Docker Engine leave each other's alone. Empty: the host network "
                    + "namespace's name, or 'host'")
    String owner() default "";

    @AttributeDefinition(name = "State directory",
            description = "Where each instance's files (user data, SSH keys, metadata) live, per owner and instance, "
                    + "bind-mounted into its container; used with a local engine (unix://) only")
    String state_dir() default DockerComputeDriver.DEFAULT_STATE_DIR;
}
