import { api, listQuery } from '../../api/api';
import type { Page, PageArgs, Vpc } from '../../api/types';

export interface CreateVpc {
  name: string;
  cidr_block: string;
  description?: string;
}

export interface UpdateVpc {
  id: string;
  name?: string;
  description?: string;
}

export const vpcsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listVpcs: build.query<Page<Vpc>, PageArgs>({
      query: (args) => `/vpcs${listQuery({ ...args })}`,
      providesTags: (page) => [
        { type: 'Vpc', id: 'LIST' },
        ...(page?.items ?? []).map((v) => ({ type: 'Vpc' as const, id: v.id })),
      ],
    }),
    getVpc: build.query<Vpc, string>({
      query: (id) => `/vpcs/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'Vpc', id }],
    }),
    createVpc: build.mutation<Vpc, CreateVpc>({
      query: (body) => ({ url: '/vpcs', method: 'POST', body }),
      invalidatesTags: [{ type: 'Vpc', id: 'LIST' }, 'RouteTable', 'SecurityGroup', 'NetworkAcl'],
    }),
    updateVpc: build.mutation<Vpc, UpdateVpc>({
      query: ({ id, ...body }) => ({ url: `/vpcs/${encodeURIComponent(id)}`, method: 'PUT', body }),
      invalidatesTags: (_r, _e, { id }) => [{ type: 'Vpc', id }],
    }),
    deleteVpc: build.mutation<void, string>({
      query: (id) => ({ url: `/vpcs/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error, id) =>
        error ? [] : [{ type: 'Vpc', id: 'LIST' }, { type: 'Vpc', id }, 'RouteTable', 'SecurityGroup', 'NetworkAcl', 'InternetGateway'],
    }),
  }),
});

export const { useListVpcsQuery, useGetVpcQuery, useCreateVpcMutation, useUpdateVpcMutation, useDeleteVpcMutation } = vpcsApi;
