package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "images")
public class ImageEntity implements Timestamped {
    @Id
    public String id;
    public String name;
    public String description;
    public String os;
    public String version;
    public String architecture;
    public String format;
    public String location;
    @Column(name = "is_public")
    public boolean isPublic;
    @Column(name = "user_id")
    public String userId;
    public long size;
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
