import { api, listQuery } from '../../api/api';
import type { Page, PageArgs, Route, RouteTable } from '../../api/types';

export const routeTablesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listRouteTables: build.query<Page<RouteTable>, PageArgs & { vpc_id?: string }>({
      query: (args) => `/route-tables${listQuery({ ...args })}`,
      providesTags: [{ type: 'RouteTable', id: 'LIST' }],
    }),
    getRouteTable: build.query<RouteTable, string>({
      query: (id) => `/route-tables/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'RouteTable', id }],
    }),
    createRouteTable: build.mutation<RouteTable, { vpc_id: string; name?: string }>({
      query: (body) => ({ url: '/route-tables', method: 'POST', body }),
      invalidatesTags: [{ type: 'RouteTable', id: 'LIST' }],
    }),
    deleteRouteTable: build.mutation<void, string>({
      query: (id) => ({ url: `/route-tables/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error) => (error ? [] : ['RouteTable']),
    }),
    createRoute: build.mutation<Route, { routeTableId: string; destination_cidr: string; target_type: string; target_id: string }>({
      query: ({ routeTableId, ...body }) => ({ url: `/route-tables/${encodeURIComponent(routeTableId)}/routes`, method: 'POST', body }),
      invalidatesTags: ['RouteTable'],
    }),
    deleteRoute: build.mutation<void, { routeTableId: string; destination_cidr: string }>({
      query: ({ routeTableId, destination_cidr }) => ({
        url: `/route-tables/${encodeURIComponent(routeTableId)}/routes?destination_cidr=${encodeURIComponent(destination_cidr)}`,
        method: 'DELETE',
      }),
      invalidatesTags: ['RouteTable'],
    }),
    associateRouteTable: build.mutation<RouteTable, { routeTableId: string; subnet_id: string }>({
      query: ({ routeTableId, subnet_id }) => ({
        url: `/route-tables/${encodeURIComponent(routeTableId)}/associations`,
        method: 'POST',
        body: { subnet_id },
      }),
      invalidatesTags: ['RouteTable'],
    }),
    disassociateRouteTable: build.mutation<void, { routeTableId: string; subnetId: string }>({
      query: ({ routeTableId, subnetId }) => ({
        url: `/route-tables/${encodeURIComponent(routeTableId)}/associations/${encodeURIComponent(subnetId)}`,
        method: 'DELETE',
      }),
      invalidatesTags: ['RouteTable'],
    }),
  }),
});

export const {
  useDeleteRouteMutation,
  useAssociateRouteTableMutation,
  useDisassociateRouteTableMutation,
  useListRouteTablesQuery,
  useGetRouteTableQuery,
  useCreateRouteTableMutation,
  useDeleteRouteTableMutation,
  useCreateRouteMutation,
} = routeTablesApi;
