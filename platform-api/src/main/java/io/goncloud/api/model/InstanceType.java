package io.goncloud.api.model;

/**
 * A size of instance.
 *
 * @param cpu     virtual CPUs
 * @param memory  memory in MiB
 * @param storage root disk in GiB
 * @param network network performance class, e.g. {@code low}, {@code moderate}
 * @param price   price per hour in the operator's currency
 */
public record InstanceType(String name, int cpu, int memory, int storage, String network, double price) {
}
