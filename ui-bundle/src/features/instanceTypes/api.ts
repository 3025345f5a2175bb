import { api, listQuery } from '../../api/api';
import type { InstanceType, Page, PageArgs } from '../../api/types';

export const instanceTypesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listInstanceTypes: build.query<Page<InstanceType>, PageArgs>({
      query: (args) => `/instance-types${listQuery({ ...args })}`,
      providesTags: [{ type: 'InstanceType', id: 'LIST' }],
    }),
  }),
});

export const { useListInstanceTypesQuery } = instanceTypesApi;
