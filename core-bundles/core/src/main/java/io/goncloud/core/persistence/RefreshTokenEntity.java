package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "refresh_tokens")
public class RefreshTokenEntity {
    @Id
    public String id;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "family_id")
    public String familyId;
    @Column(name = "token_hash")
    public String tokenHash;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    @Column(name = "used_at")
    public OffsetDateTime usedAt;
    public boolean revoked;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
