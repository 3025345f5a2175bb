import { api } from '../../api/api';

export interface Quota {
  resource: string;
  limit: number;
  usage: number | null;
  is_default: boolean;
}

/** The signed-in tenant's limits and what it holds now. */
export const quotasApi = api.injectEndpoints({
  endpoints: (build) => ({
    myQuotas: build.query<{ quotas: Quota[] }, void>({
      query: () => '/quotas',
    }),
  }),
});

export const { useMyQuotasQuery } = quotasApi;

const NAMES: Record<string, string> = {
  instances: 'Instances',
  vcpus: 'vCPUs',
  memory_mib: 'Memory',
  vpcs: 'VPCs',
  elastic_ips: 'Elastic IPs',
  security_groups: 'Security groups',
  rules_per_security_group: 'Rules in one group',
  volumes: 'Volumes',
  volume_gib: 'Volume storage (GiB)',
};

/** A tenant's word for a quota's resource. */
export function quotaName(resource: string): string {
  return NAMES[resource] ?? resource;
}
