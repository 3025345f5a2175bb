/**
 * The storage driver SPI: pools, volumes, snapshots, and the handles compute drivers attach. See
 * {@link io.goncloud.api.spi.storage.StorageDriver}.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package io.goncloud.api.spi.storage;
