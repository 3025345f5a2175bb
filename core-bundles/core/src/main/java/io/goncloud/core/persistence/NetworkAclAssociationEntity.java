package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import java.time.OffsetDateTime;

/** A subnet's network ACL other than its VPC's default; a subnet without one uses the default ACL. */
@Entity
@Table(name = "network_acl_associations")
public class NetworkAclAssociationEntity {
    @Id
    public String id;
    @Column(name = "network_acl_id")
    public String networkAclId;
    @Column(name = "subnet_id")
    public String subnetId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
