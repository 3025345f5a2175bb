import { api, listQuery } from '../../api/api';
import type { ElasticIp, Page, PageArgs } from '../../api/types';

export const elasticIpsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listElasticIps: build.query<Page<ElasticIp>, PageArgs>({
      query: (args) => `/elastic-ips${listQuery({ ...args })}`,
      providesTags: [{ type: 'ElasticIp', id: 'LIST' }],
    }),
    allocateElasticIp: build.mutation<ElasticIp, void>({
      query: () => ({ url: '/elastic-ips', method: 'POST', body: {} }),
      invalidatesTags: ['ElasticIp'],
    }),
    releaseElasticIp: build.mutation<void, string>({
      query: (id) => ({ url: `/elastic-ips/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error) => (error ? [] : ['ElasticIp']),
    }),
  }),
});

export const { useListElasticIpsQuery, useAllocateElasticIpMutation, useReleaseElasticIpMutation } = elasticIpsApi;
