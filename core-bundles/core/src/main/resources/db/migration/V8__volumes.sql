-- Block storage (issue 12): volumes, their snapshots, and the storage pools workers report.

-- What each host's storage agent last reported of its pools: volumes are placed where there is room.
CREATE TABLE storage_pools (
    host_id        VARCHAR(255) NOT NULL,
    name           VARCHAR(255) NOT NULL,
    location       VARCHAR(1024) NOT NULL,
    capacity_bytes BIGINT NOT NULL,
    free_bytes     BIGINT NOT NULL,
    detail         VARCHAR(1024),
    reported_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (host_id, name)
);

CREATE TABLE volumes (
    id               UUID PRIMARY KEY,
    user_id          UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name             VARCHAR(255),
    size_gib         INTEGER NOT NULL CHECK (size_gib > 0),
    state            VARCHAR(16) NOT NULL
                     CHECK (state IN ('creating', 'available', 'in-use', 'deleting', 'deleted', 'error')),
    state_reason     VARCHAR(1024),
    -- The snapshot the volume was made from; no reference: a snapshot may be deleted, the volume stays.
    snapshot_id      UUID,
    -- Where the volume lives: a host's storage pool.
    host_id          VARCHAR(255) NOT NULL,
    pool             VARCHAR(255) NOT NULL,
    -- The attachment, when attached.
    instance_id      UUID REFERENCES instances(id) ON DELETE SET NULL,
    device           VARCHAR(64),
    attachment_state VARCHAR(16) CHECK (attachment_state IN ('attaching', 'attached', 'detaching')),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX volumes_user ON volumes (user_id, created_at, id);
CREATE INDEX volumes_host ON volumes (host_id);

CREATE TABLE volume_tags (
    volume_id UUID NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    "key"     VARCHAR(128) NOT NULL,
    "value"   VARCHAR(256) NOT NULL,
    PRIMARY KEY (volume_id, "key")
);

CREATE TABLE snapshots (
    id              UUID PRIMARY KEY,
    user_id         UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- No reference: a snapshot outlives its volume.
    volume_id       UUID NOT NULL,
    volume_size_gib INTEGER NOT NULL,
    description     VARCHAR(255),
    state           VARCHAR(16) NOT NULL CHECK (state IN ('pending', 'completed', 'deleting', 'error')),
    state_reason    VARCHAR(1024),
    -- Snapshots stay in the pool of the volume they were taken of; volumes made from them are made there.
    host_id         VARCHAR(255) NOT NULL,
    pool            VARCHAR(255) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX snapshots_user ON snapshots (user_id, created_at, id);
CREATE INDEX snapshots_host ON snapshots (host_id);

INSERT INTO quota_defaults (resource, max_value) VALUES ('volumes', 50), ('volume_gib', 1024);
