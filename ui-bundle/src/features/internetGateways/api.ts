import { api, listQuery } from '../../api/api';
import type { InternetGateway, Page, PageArgs } from '../../api/types';

export const internetGatewaysApi = api.injectEndpoints({
  endpoints: (build) => ({
    listInternetGateways: build.query<Page<InternetGateway>, PageArgs>({
      query: (args) => `/internet-gateways${listQuery({ ...args })}`,
      providesTags: [{ type: 'InternetGateway', id: 'LIST' }],
    }),
    getInternetGateway: build.query<InternetGateway, string>({
      query: (id) => `/internet-gateways/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'InternetGateway', id }],
    }),
    createInternetGateway: build.mutation<InternetGateway, { name?: string }>({
      query: (body) => ({ url: '/internet-gateways', method: 'POST', body }),
      invalidatesTags: ['InternetGateway'],
    }),
    deleteInternetGateway: build.mutation<void, string>({
      query: (id) => ({ url: `/internet-gateways/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error) => (error ? [] : ['InternetGateway']),
    }),
    attachInternetGateway: build.mutation<InternetGateway, { id: string; vpc_id: string }>({
      query: ({ id, vpc_id }) => ({ url: `/internet-gateways/${encodeURIComponent(id)}/attach`, method: 'POST', body: { vpc_id } }),
      invalidatesTags: ['InternetGateway', 'RouteTable'],
    }),
    detachInternetGateway: build.mutation<InternetGateway, { id: string; vpc_id: string }>({
      query: ({ id, vpc_id }) => ({ url: `/internet-gateways/${encodeURIComponent(id)}/detach`, method: 'POST', body: { vpc_id } }),
      invalidatesTags: (_r, error) => (error ? [] : ['InternetGateway', 'RouteTable']),
    }),
  }),
});

export const {
  useAttachInternetGatewayMutation,
  useDetachInternetGatewayMutation,
  useListInternetGatewaysQuery,
  useGetInternetGatewayQuery,
  useCreateInternetGatewayMutation,
  useDeleteInternetGatewayMutation,
} = internetGatewaysApi;
