package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "key_pairs")
public class KeyPairEntity implements Timestamped {
    @Id
    public String id;
    @Column(name = "user_id")
    public String userId;
    public String name;
    public String fingerprint;
    @Column(name = "public_key")
    public String publicKey;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Override
    public String id() {
        return id;
    }

    @Override
    public OffsetDateTime createdAt() {
        return createdAt;
    }
}
