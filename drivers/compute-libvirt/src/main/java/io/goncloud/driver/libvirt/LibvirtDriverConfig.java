package io.goncloud.driver.libvirt;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.driver.libvirt} (etc/io.goncloud.driver.libvirt.cfg). */
@ObjectClassDefinition(name = "GCP libvirt compute driver",
        description = "Runs instances as QEMU/KVM virtual machines through libvirt (image formats qcow2 and raw)")
public @interface LibvirtDriverConfig {

    @AttributeDefinition(name = "libvirt URI", description = "The libvirt connection; QEMU system instance by default")
    String uri() default LibvirtComputeDriver.DEFAULT_URI;

    @AttributeDefinition(name = "Host network namespace",
            description = "Named network namespace (ip netns) where the network driver leaves the instance-side "
                    + "veth devices; empty = the platform process's own network namespace")
    String host_netns() default "";

    @AttributeDefinition(name = "State directory",
            description = "Where each instance's overlay disk, NoCloud seed and console log live (gcp-<id>/)")
    String state_dir() default LibvirtComputeDriver.DEFAULT_STATE_DIR;

    @AttributeDefinition(name = "Accelerator",
            description = "auto: KVM if a test guest really runs under it, else TCG; kvm or tcg to force one")
    String accelerator() default "auto";
}
