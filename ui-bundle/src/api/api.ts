import { createApi } from '@reduxjs/toolkit/query/react';
import { createAuthBaseQuery } from './baseQuery';

/**
 * The one RTK Query API of the console. Each resource module adds its endpoints with
 * api.injectEndpoints (see src/features/<resource>/api.ts), so a new resource is a new module.
 */
export const api = createApi({
  reducerPath: 'api',
  baseQuery: createAuthBaseQuery(),
  tagTypes: [
    'Vpc',
    'Subnet',
    'RouteTable',
    'InternetGateway',
    'NetworkAcl',
    'SecurityGroup',
    'ElasticIp',
    'Instance',
    'KeyPair',
    'Image',
    'InstanceType',
    'User',
    'WorkerNode',
  ],
  refetchOnReconnect: true,
  endpoints: () => ({}),
});

/** Query string of a list request, leaving out what is not set. */
export function listQuery(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
