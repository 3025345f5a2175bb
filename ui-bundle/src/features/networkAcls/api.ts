import { api, listQuery } from '../../api/api';
import type { NetworkAcl, NetworkAclEntry, Page, PageArgs } from '../../api/types';

export const networkAclsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listNetworkAcls: build.query<Page<NetworkAcl>, PageArgs & { vpc_id?: string }>({
      query: (args) => `/network-acls${listQuery({ ...args })}`,
      providesTags: [{ type: 'NetworkAcl', id: 'LIST' }],
    }),
    getNetworkAcl: build.query<NetworkAcl, string>({
      query: (id) => `/network-acls/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'NetworkAcl', id }],
    }),
    createNetworkAcl: build.mutation<NetworkAcl, { vpc_id: string; name?: string }>({
      query: (body) => ({ url: '/network-acls', method: 'POST', body }),
      invalidatesTags: [{ type: 'NetworkAcl', id: 'LIST' }],
    }),
    deleteNetworkAcl: build.mutation<void, string>({
      query: (id) => ({ url: `/network-acls/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error) => (error ? [] : ['NetworkAcl']),
    }),
    addNetworkAclEntry: build.mutation<NetworkAclEntry, { aclId: string } & Omit<NetworkAclEntry, 'from_port' | 'to_port'> & { from_port?: number; to_port?: number }>({
      query: ({ aclId, ...body }) => ({ url: `/network-acls/${encodeURIComponent(aclId)}/entries`, method: 'POST', body }),
      invalidatesTags: ['NetworkAcl'],
    }),
    deleteNetworkAclEntry: build.mutation<void, { aclId: string; direction: string; rule_number: number }>({
      query: ({ aclId, direction, rule_number }) => ({
        url: `/network-acls/${encodeURIComponent(aclId)}/entries/${encodeURIComponent(direction)}/${rule_number}`,
        method: 'DELETE',
      }),
      invalidatesTags: ['NetworkAcl'],
    }),
    associateNetworkAcl: build.mutation<NetworkAcl, { aclId: string; subnet_id: string }>({
      query: ({ aclId, subnet_id }) => ({ url: `/network-acls/${encodeURIComponent(aclId)}/associations`, method: 'POST', body: { subnet_id } }),
      invalidatesTags: ['NetworkAcl'],
    }),
  }),
});

export const {
  useAddNetworkAclEntryMutation,
  useDeleteNetworkAclEntryMutation,
  useAssociateNetworkAclMutation,
} = networkAclsApi;
export const { useListNetworkAclsQuery, useGetNetworkAclQuery, useCreateNetworkAclMutation, useDeleteNetworkAclMutation } =
  networkAclsApi;
