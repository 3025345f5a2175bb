package io.goncloud.api.spi.storage;

/**
 * How a compute driver reaches a volume, from {@link StorageDriver#openAttachment}.
 *
 * @param volumeId the volume
 * @param kind     what {@code path} is
 * @param path     absolute path on the host: the file a hypervisor opens, or the block device node
 * @param format   the data's format at {@code path}: {@code raw} (the bytes of the block device)
 */
public record AttachHandle(String volumeId, Kind kind, String path, String format) {

    /** Who will use the handle: decides whether a file is enough. */
    public enum Consumer {
        /** A hypervisor, which opens a file or a block device as a virtual disk. */
        VIRTUAL_MACHINE,
        /** A container, which needs a block device node (to mount it or to hand it in). */
        CONTAINER
    }

    public enum Kind {
        /** A regular file holding the volume's bytes: a hypervisor opens it as a disk (libvirt {@code type='file'}). */
        FILE,
        /** A block device node (e.g. {@code /dev/loop7}): mountable, or handed to a container or a guest as is. */
        BLOCK_DEVICE;

        /** The capability naming this kind: {@code attach:file}, {@code attach:block-device}. */
        public String capability() {
            return StorageDriver.ATTACH + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
