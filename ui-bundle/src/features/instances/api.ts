import { api, listQuery } from '../../api/api';
import type { Page, PageArgs } from '../../api/types';

/**
 * Instances (the compute service, not yet in the API). The fields follow the instances table of the
 * schema (core-bundles/core/src/main/resources/db/migration/V1__schema.sql); when the compute
 * routes land, check them against openapi.json and add the launch/start/stop/terminate mutations here.
 */
export interface Instance {
  id: string;
  name: string;
  instance_type: string;
  image_id: string | null;
  subnet_id: string | null;
  private_ip: string;
  public_ip: string | null;
  /** pending, running, stopping, stopped, shutting-down, terminated */
  state: string;
  state_reason: string | null;
  key_pair: string | null;
  created_at: string;
  updated_at: string;
}

export const INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'] as const;

export const instancesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listInstances: build.query<Page<Instance>, PageArgs & { subnet_id?: string }>({
      query: (args) => `/instances${listQuery({ ...args })}`,
      providesTags: [{ type: 'Instance', id: 'LIST' }],
    }),
  }),
});

export const { useListInstancesQuery } = instancesApi;
