package io.goncloud.api.spi.storage;

/**
 * A volume as the host has it.
 *
 * @param volumeId       the platform's id, as derived back from the host name
 * @param pool           the pool holding it
 * @param sizeBytes      its size as a block device
 * @param allocatedBytes what its data takes in the pool now (less than the size when thin)
 * @param hostName       its name on the host (a file name, an LV name), for operators; starts with {@code gcp}
 */
public record VolumeInfo(String volumeId, String pool, long sizeBytes, long allocatedBytes, String hostName) {
}
