package io.goncloud.api.model;

/**
 * One of a tenant's limits.
 *
 * @param resource  {@code instances}, {@code vcpus}, {@code memory_mib}, {@code vpcs}, {@code elastic_ips},
 *                  {@code security_groups}, {@code rules_per_security_group},
 *                  {@code volumes} or {@code volume_gib}
 * @param limit     the most the tenant may hold
 * @param usage     what it holds now (for rules per group: the fullest group); null in the cloud's defaults
 * @param isDefault whether the limit is the cloud's default rather than set for this tenant
 */
public record Quota(String resource, long limit, Long usage, boolean isDefault) {
}
