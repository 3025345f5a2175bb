package io.goncloud.api.spi.storage;

/**
 * A place a storage driver keeps volumes and snapshots, with its space now.
 *
 * @param name           stable, unique per driver on a host, e.g. {@code default}
 * @param location       where it is, for operators: a directory, a volume group
 * @param capacityBytes  the size of the underlying storage
 * @param freeBytes      what is not yet used by data on it
 * @param provisionedBytes the sum of the sizes of the volumes in it (more than {@code capacityBytes} when thin)
 * @param detail         what an operator should know about it (file system, warnings), or empty
 */
public record StoragePool(String name, String location, long capacityBytes, long freeBytes, long provisionedBytes,
                          String detail) {
}
