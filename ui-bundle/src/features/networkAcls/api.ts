import { api, listQuery } from '../../api/api';
import type { NetworkAcl, Page, PageArgs } from '../../api/types';

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
  }),
});

export const { useListNetworkAclsQuery, useGetNetworkAclQuery, useCreateNetworkAclMutation, useDeleteNetworkAclMutation } =
  networkAclsApi;
