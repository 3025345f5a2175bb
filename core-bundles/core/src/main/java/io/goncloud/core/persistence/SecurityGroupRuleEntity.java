package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "security_group_rules")
public class SecurityGroupRuleEntity {
    @Id
    public String id;
    @Column(name = "security_group_id")
    public String securityGroupId;
    public String direction;
    public String protocol;
    @Column(name = "from_port")
    public int fromPort;
    @Column(name = "to_port")
    public int toPort;
    public String source;
    public String description;
}
