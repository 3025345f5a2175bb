-- Gon Cloud Platform schema, version 1.
-- The specification's tables, with the columns the product needs beyond them. Written in the SQL that
-- PostgreSQL 15 and H2 2.x both accept: VARCHAR instead of TEXT (TEXT is a CLOB in H2), and
-- TIMESTAMP WITH TIME ZONE for TIMESTAMPTZ. Ids are UUIDs assigned by the application.

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    email         VARCHAR(254) NOT NULL UNIQUE,
    password      VARCHAR(100) NOT NULL,           -- a bcrypt hash, never the password
    role          VARCHAR(16)  NOT NULL CHECK (role IN ('admin', 'user')),
    is_active     BOOLEAN DEFAULT TRUE,
    refresh_token VARCHAR(255),                    -- superseded by refresh_tokens (one row per session)
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per issued refresh token (SHA-256 of it, never the token). Rotation marks the used token;
-- presenting a used token again revokes its whole family (the login it descends from).
CREATE TABLE refresh_tokens (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id  UUID NOT NULL,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE vpcs (
    id          UUID PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    cidr_block  VARCHAR(43)  NOT NULL,
    description VARCHAR(255),
    state       VARCHAR(16)  NOT NULL DEFAULT 'available',
    user_id     UUID REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX vpcs_user ON vpcs (user_id, created_at, id);

CREATE TABLE subnets (
    id                       UUID PRIMARY KEY,
    vpc_id                   UUID REFERENCES vpcs(id) ON DELETE CASCADE,
    name                     VARCHAR(255) NOT NULL,
    cidr_block               VARCHAR(43)  NOT NULL,
    availability_zone        VARCHAR(64)  NOT NULL,
    is_public                BOOLEAN NOT NULL,
    map_public_ip_on_launch  BOOLEAN NOT NULL DEFAULT FALSE,
    state                    VARCHAR(16) NOT NULL DEFAULT 'available',
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at               TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX subnets_vpc ON subnets (vpc_id, created_at, id);

CREATE TABLE route_tables (
    id         UUID PRIMARY KEY,
    vpc_id     UUID REFERENCES vpcs(id) ON DELETE CASCADE,
    name       VARCHAR(255) NOT NULL,
    is_main    BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX route_tables_vpc ON route_tables (vpc_id);

-- target_type 'local' (the VPC's own block, no target) is added to the specification's list.
CREATE TABLE routes (
    id               UUID PRIMARY KEY,
    route_table_id   UUID REFERENCES route_tables(id) ON DELETE CASCADE,
    destination_cidr VARCHAR(43) NOT NULL,
    target_type      VARCHAR(16) NOT NULL CHECK (target_type IN ('local', 'igw', 'nat', 'instance')),
    target_id        UUID,
    priority         INTEGER NOT NULL,
    UNIQUE (route_table_id, destination_cidr)
);

-- A subnet uses at most one route table; subnets without a row use their VPC's main table.
CREATE TABLE route_table_associations (
    id             UUID PRIMARY KEY,
    route_table_id UUID NOT NULL REFERENCES route_tables(id) ON DELETE CASCADE,
    subnet_id      UUID NOT NULL UNIQUE REFERENCES subnets(id) ON DELETE CASCADE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE internet_gateways (
    id         UUID PRIMARY KEY,
    vpc_id     UUID REFERENCES vpcs(id) ON DELETE CASCADE,
    user_id    UUID REFERENCES users(id) ON DELETE CASCADE,
    name       VARCHAR(255) NOT NULL,
    state      VARCHAR(16) NOT NULL CHECK (state IN ('available', 'attached', 'detached')),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE images (
    id           UUID PRIMARY KEY,
    name         VARCHAR(255) NOT NULL,
    description  VARCHAR(1024),
    os           VARCHAR(64)  NOT NULL,
    version      VARCHAR(64)  NOT NULL,
    architecture VARCHAR(16)  NOT NULL,
    format       VARCHAR(32)  NOT NULL DEFAULT 'docker-rootfs',
    location     VARCHAR(1024),
    is_public    BOOLEAN DEFAULT FALSE,
    user_id      UUID REFERENCES users(id) ON DELETE SET NULL,
    size         BIGINT NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE instance_types (
    name    VARCHAR(64) PRIMARY KEY,
    cpu     INTEGER NOT NULL,
    memory  INTEGER NOT NULL,       -- MiB
    storage INTEGER NOT NULL,       -- GiB
    network VARCHAR(32) NOT NULL,
    price   DOUBLE PRECISION NOT NULL
);

CREATE TABLE worker_nodes (
    id                   UUID PRIMARY KEY,
    hostname             VARCHAR(255) NOT NULL UNIQUE,
    address              VARCHAR(45),
    state                VARCHAR(16) NOT NULL CHECK (state IN ('up', 'down', 'draining')),
    cpu_total            INTEGER NOT NULL,
    memory_total_mib     INTEGER NOT NULL,
    disk_total_gib       INTEGER NOT NULL,
    cpu_allocated        INTEGER NOT NULL DEFAULT 0,
    memory_allocated_mib INTEGER NOT NULL DEFAULT 0,
    drivers              VARCHAR(1024) NOT NULL DEFAULT '',
    last_heartbeat_at    TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE key_pairs (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        VARCHAR(255) NOT NULL,
    fingerprint VARCHAR(128) NOT NULL,
    public_key  VARCHAR(16384) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE instances (
    id             UUID PRIMARY KEY,
    name           VARCHAR(255) NOT NULL,
    instance_type  VARCHAR(64) REFERENCES instance_types(name) ON DELETE SET NULL,
    image_id       UUID REFERENCES images(id) ON DELETE SET NULL,
    subnet_id      UUID REFERENCES subnets(id) ON DELETE SET NULL,
    private_ip     VARCHAR(45) NOT NULL,
    public_ip      VARCHAR(45),
    state          VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'running', 'stopping', 'stopped',
                                                         'shutting-down', 'terminated')),
    state_reason   VARCHAR(1024),
    worker_node_id UUID REFERENCES worker_nodes(id) ON DELETE SET NULL,
    user_id        UUID REFERENCES users(id) ON DELETE CASCADE,
    key_pair       VARCHAR(255),
    user_data      VARCHAR(65536),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX instances_subnet ON instances (subnet_id);

CREATE TABLE security_groups (
    id          UUID PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    description VARCHAR(255),
    vpc_id      UUID REFERENCES vpcs(id) ON DELETE CASCADE,
    user_id     UUID REFERENCES users(id) ON DELETE CASCADE,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (vpc_id, name)
);

-- source is a CIDR block or the id of a security group in the same VPC.
CREATE TABLE security_group_rules (
    id                UUID PRIMARY KEY,
    security_group_id UUID REFERENCES security_groups(id) ON DELETE CASCADE,
    direction         VARCHAR(16) NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    protocol          VARCHAR(8)  NOT NULL CHECK (protocol IN ('tcp', 'udp', 'icmp', 'all')),
    from_port         INTEGER NOT NULL,
    to_port           INTEGER NOT NULL,
    source            VARCHAR(64) NOT NULL,
    description       VARCHAR(255)
);
CREATE INDEX security_group_rules_group ON security_group_rules (security_group_id);

CREATE TABLE instance_security_groups (
    instance_id       UUID REFERENCES instances(id) ON DELETE CASCADE,
    security_group_id UUID REFERENCES security_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (instance_id, security_group_id)
);

-- "key" and "value" are reserved words in H2, so they are always quoted.
CREATE TABLE instance_tags (
    instance_id UUID REFERENCES instances(id) ON DELETE CASCADE,
    "key"       VARCHAR(128) NOT NULL,
    "value"     VARCHAR(256) NOT NULL,
    PRIMARY KEY (instance_id, "key")
);

CREATE TABLE network_acls (
    id          UUID PRIMARY KEY,
    vpc_id      UUID REFERENCES vpcs(id) ON DELETE CASCADE,
    name        VARCHAR(255) NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE network_acl_entries (
    id             UUID PRIMARY KEY,
    network_acl_id UUID NOT NULL REFERENCES network_acls(id) ON DELETE CASCADE,
    rule_number    INTEGER NOT NULL CHECK (rule_number BETWEEN 1 AND 32766),
    direction      VARCHAR(16) NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    protocol       VARCHAR(8)  NOT NULL CHECK (protocol IN ('tcp', 'udp', 'icmp', 'all')),
    from_port      INTEGER NOT NULL,
    to_port        INTEGER NOT NULL,
    cidr_block     VARCHAR(43) NOT NULL,
    action         VARCHAR(8)  NOT NULL CHECK (action IN ('allow', 'deny')),
    UNIQUE (network_acl_id, direction, rule_number)
);

-- A subnet uses exactly one ACL; subnets without a row use their VPC's default ACL.
CREATE TABLE network_acl_associations (
    id             UUID PRIMARY KEY,
    network_acl_id UUID NOT NULL REFERENCES network_acls(id) ON DELETE CASCADE,
    subnet_id      UUID NOT NULL UNIQUE REFERENCES subnets(id) ON DELETE CASCADE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Addresses of the operator's public pool, auto-assigned at launch or allocated as elastic IPs.
CREATE TABLE public_ips (
    id          UUID PRIMARY KEY,
    address     VARCHAR(45) NOT NULL UNIQUE,
    kind        VARCHAR(16) NOT NULL CHECK (kind IN ('auto', 'elastic')),
    user_id     UUID REFERENCES users(id) ON DELETE CASCADE,
    instance_id UUID REFERENCES instances(id) ON DELETE SET NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
