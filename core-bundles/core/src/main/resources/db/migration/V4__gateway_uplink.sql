-- An attached internet gateway's router takes an address of the public pool for its uplink: the source
-- address of outbound NAT for instances without a public address of their own.
ALTER TABLE internet_gateways ADD COLUMN uplink_address VARCHAR(45);
CREATE UNIQUE INDEX internet_gateways_uplink ON internet_gateways (uplink_address);
