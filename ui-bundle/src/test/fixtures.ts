import type { Instance } from '../api/types';

/** An instance as the API returns it; n orders them by creation. */
export function instance(n: number, over: Partial<Instance> = {}): Instance {
  return {
    id: `i-${String(n).padStart(4, '0')}`,
    name: `web-${n}`,
    instance_type: 't2.micro',
    image_id: 'img',
    vpc_id: 'vpc-a',
    subnet_id: 'sub-a',
    private_ip: `10.0.1.${n + 3}`,
    public_ip: null,
    state: 'running',
    state_reason: null,
    worker_node_id: 'w1',
    key_name: null,
    security_group_ids: ['sg'],
    tags: {},
    created_at: `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`,
    updated_at: `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`,
    ...over,
  };
}

