package io.goncloud.api.model;

/**
 * One route of a route table.
 *
 * @param destinationCidr the IPv4 block the route matches; the most specific matching route wins
 * @param targetType      {@code local} (the VPC's own block: every table has it, it cannot be removed),
 *                        {@code igw}, {@code nat} or {@code instance}
 * @param targetId        the internet gateway, NAT gateway or instance; {@code null} for the local route
 */
public record Route(String destinationCidr, String targetType, String targetId) {
}
