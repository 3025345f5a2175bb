/** Shapes of the REST API at /api/v1 (see core-bundles/rest/src/main/resources/openapi.json). */

export interface Page<T> {
  items: T[];
  next_page_token: string | null;
}

export interface PageArgs {
  limit?: number;
  page_token?: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  request_id?: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export type Role = 'admin' | 'user';

export interface User {
  id: string;
  username: string;
  email: string;
  role: Role;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface Vpc {
  id: string;
  name: string;
  cidr_block: string;
  description: string | null;
  state: string;
  user_id: string;
  main_route_table_id: string;
  default_security_group_id: string;
  default_network_acl_id: string;
  created_at: string;
  updated_at: string;
}

export interface Subnet {
  id: string;
  vpc_id: string;
  name: string;
  cidr_block: string;
  availability_zone: string;
  is_public: boolean;
  map_public_ip_on_launch: boolean;
  available_ip_address_count: number;
  state: string;
  created_at: string;
  updated_at: string;
}

export interface InstanceType {
  name: string;
  cpu: number;
  memory: number;
  storage: number;
  network: string;
  price: number;
}

export interface Image {
  id: string;
  name: string;
  description: string | null;
  os: string;
  version: string;
  architecture: string;
  format: string;
  is_public: boolean;
  user_id: string | null;
  size: number;
  created_at: string;
}

// Networking resources (platform-api io.goncloud.api.model, in the API's snake_case).

export interface Route {
  destination_cidr: string;
  /** local, igw, nat or instance */
  target_type: string;
  target_id: string | null;
}

export interface RouteTable {
  id: string;
  vpc_id: string;
  name: string;
  is_main: boolean;
  routes: Route[];
  subnet_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface InternetGateway {
  id: string;
  name: string;
  vpc_id: string | null;
  /** available, attached or detached */
  state: string;
  user_id: string;
  created_at: string;
  updated_at: string;
}

export type Direction = 'inbound' | 'outbound';
export type Protocol = 'tcp' | 'udp' | 'icmp' | 'all';

export interface SecurityGroupRule {
  id: string;
  direction: Direction;
  protocol: Protocol;
  from_port: number;
  to_port: number;
  /** A CIDR block or the id of a security group of the same VPC. */
  source: string;
  description: string | null;
}

export interface SecurityGroup {
  id: string;
  vpc_id: string;
  name: string;
  description: string | null;
  user_id: string;
  is_default: boolean;
  rules: SecurityGroupRule[];
  created_at: string;
  updated_at: string;
}

export interface NetworkAclEntry {
  rule_number: number;
  direction: Direction;
  protocol: Protocol;
  from_port: number;
  to_port: number;
  cidr_block: string;
  action: 'allow' | 'deny';
}

export interface NetworkAcl {
  id: string;
  vpc_id: string;
  name: string;
  is_default: boolean;
  entries: NetworkAclEntry[];
  subnet_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface ElasticIp {
  id: string;
  address: string;
  instance_id: string | null;
  user_id: string;
  created_at: string;
}

// Compute (platform-api io.goncloud.api.model.Instance, KeyPair, WorkerNode).

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface Instance {
  id: string;
  name: string;
  instance_type: string;
  image_id: string | null;
  vpc_id: string | null;
  subnet_id: string | null;
  private_ip: string | null;
  public_ip: string | null;
  state: InstanceState;
  /** Why the instance is in its state (e.g. "Launch failed: ..."), when the platform says. */
  state_reason: string | null;
  worker_node_id: string | null;
  key_name: string | null;
  security_group_ids: string[];
  tags: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface KeyPair {
  id: string;
  name: string;
  fingerprint: string;
  public_key: string;
  /** Only in the answer that generated the pair: the platform keeps no copy. */
  private_key?: string | null;
  created_at: string;
}

export type WorkerNodeState = 'up' | 'down' | 'draining';

export interface WorkerNode {
  id: string;
  hostname: string;
  address: string;
  state: WorkerNodeState;
  cpu_total: number;
  memory_total_mib: number;
  disk_total_gib: number;
  cpu_allocated: number;
  memory_allocated_mib: number;
  capabilities: string[];
  instance_count: number;
  last_heartbeat_at: string | null;
  created_at: string;
}
