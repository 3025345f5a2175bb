package io.goncloud.core.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "network_acl_entries")
public class NetworkAclEntryEntity {
    @Id
    public String id;
    @Column(name = "network_acl_id")
    public String networkAclId;
    @Column(name = "rule_number")
    public int ruleNumber;
    public String direction;
    public String protocol;
    @Column(name = "from_port")
    public int fromPort;
    @Column(name = "to_port")
    public int toPort;
    @Column(name = "cidr_block")
    public String cidrBlock;
    public String action;
}
