package io.goncloud.core.images;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goncloud.images} (etc/io.goncloud.images.cfg). */
@ObjectClassDefinition(name = "GCP images")
public @interface ImagesConfig {

    @AttributeDefinition(description = "Directory of the image files the platform stores (the default image's "
            + "tarball is <image id>.tar there)")
    String store_dir() default DefaultImageComponent.DEFAULT_STORE_DIR;

    @AttributeDefinition(description = "Provide the public default image 'busybox', built on this host from "
            + "busybox-static, if it does not exist")
    boolean default_image_enabled() default true;

    @AttributeDefinition(description = "The busybox-vm qcow2 file built by scripts/build-vm-image.sh: copied into the "
            + "store as the public image 'busybox-vm' (<image id>.qcow2) if that image does not exist; empty disables")
    String default_vm_image_file() default DefaultImageComponent.DEFAULT_VM_IMAGE_FILE;
}
