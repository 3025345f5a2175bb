package io.goncloud.core.persistence;

import java.time.OffsetDateTime;

/** An entity listed in creation order; the pair (created_at, id) is its keyset for pagination. */
public interface Timestamped {
    String id();

    OffsetDateTime createdAt();
}
