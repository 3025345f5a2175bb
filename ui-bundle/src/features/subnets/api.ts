import { api, listQuery } from '../../api/api';
import type { Page, PageArgs, Subnet } from '../../api/types';

export interface CreateSubnet {
  vpc_id: string;
  name: string;
  cidr_block: string;
  availability_zone?: string;
  is_public?: boolean;
  map_public_ip_on_launch?: boolean;
}

export interface UpdateSubnet {
  id: string;
  name?: string;
  is_public?: boolean;
  map_public_ip_on_launch?: boolean;
}

export const subnetsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listSubnets: build.query<Page<Subnet>, PageArgs & { vpc_id?: string }>({
      query: (args) => `/subnets${listQuery({ ...args })}`,
      providesTags: (page) => [
        { type: 'Subnet', id: 'LIST' },
        ...(page?.items ?? []).map((s) => ({ type: 'Subnet' as const, id: s.id })),
      ],
    }),
    getSubnet: build.query<Subnet, string>({
      query: (id) => `/subnets/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'Subnet', id }],
    }),
    createSubnet: build.mutation<Subnet, CreateSubnet>({
      query: (body) => ({ url: '/subnets', method: 'POST', body }),
      invalidatesTags: [{ type: 'Subnet', id: 'LIST' }],
    }),
    updateSubnet: build.mutation<Subnet, UpdateSubnet>({
      query: ({ id, ...body }) => ({ url: `/subnets/${encodeURIComponent(id)}`, method: 'PUT', body }),
      invalidatesTags: (_r, _e, { id }) => [{ type: 'Subnet', id }],
    }),
    deleteSubnet: build.mutation<void, string>({
      query: (id) => ({ url: `/subnets/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error, id) => (error ? [] : [{ type: 'Subnet', id: 'LIST' }, { type: 'Subnet', id }]),
    }),
  }),
});

export const {
  useListSubnetsQuery,
  useGetSubnetQuery,
  useCreateSubnetMutation,
  useUpdateSubnetMutation,
  useDeleteSubnetMutation,
} = subnetsApi;
