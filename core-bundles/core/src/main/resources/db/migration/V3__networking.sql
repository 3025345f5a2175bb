-- Networking resources (route tables, internet gateways, security groups, network ACLs, elastic IPs):
-- the invariants the services keep, also kept by the database, and the indexes their checks use.

-- A VPC has at most one internet gateway (detached gateways have no VPC).
CREATE UNIQUE INDEX internet_gateways_vpc ON internet_gateways (vpc_id);
CREATE INDEX internet_gateways_user ON internet_gateways (user_id, created_at, id);

-- An instance has at most one public address (instances.public_ip), automatic or elastic.
CREATE UNIQUE INDEX public_ips_instance ON public_ips (instance_id);
CREATE INDEX public_ips_user ON public_ips (user_id, created_at, id);

-- Detaching a gateway looks for routes that still target it.
CREATE INDEX routes_target ON routes (target_id);
CREATE INDEX route_table_associations_table ON route_table_associations (route_table_id);

-- Deleting a group looks for instances in it and for other groups' rules that name it.
CREATE INDEX instance_security_groups_group ON instance_security_groups (security_group_id);
CREATE INDEX security_group_rules_source ON security_group_rules (source);

CREATE INDEX network_acls_vpc ON network_acls (vpc_id);
CREATE INDEX network_acl_associations_acl ON network_acl_associations (network_acl_id);
