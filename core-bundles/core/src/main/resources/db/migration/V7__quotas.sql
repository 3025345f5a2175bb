-- Per-tenant limits (issue 13): the cloud's defaults, and an administrator's overrides for one tenant.
CREATE TABLE quota_defaults (
    resource  VARCHAR(64) PRIMARY KEY,
    max_value BIGINT NOT NULL
);
CREATE TABLE quota_overrides (
    user_id   UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    resource  VARCHAR(64) NOT NULL,
    max_value BIGINT NOT NULL,
    PRIMARY KEY (user_id, resource)
);
INSERT INTO quota_defaults (resource, max_value) VALUES
    ('instances', 50), ('vcpus', 64), ('memory_mib', 131072), ('vpcs', 10), ('elastic_ips', 16),
    ('security_groups', 100), ('rules_per_security_group', 100);
