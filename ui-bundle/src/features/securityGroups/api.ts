import { api, listQuery } from '../../api/api';
import type { Direction, Page, PageArgs, Protocol, SecurityGroup, SecurityGroupRule } from '../../api/types';

export interface CreateSecurityGroup {
  vpc_id: string;
  name: string;
  description?: string;
}

export interface CreateRule {
  groupId: string;
  direction: Direction;
  protocol: Protocol;
  from_port?: number;
  to_port?: number;
  source: string;
  description?: string;
}

export const securityGroupsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listSecurityGroups: build.query<Page<SecurityGroup>, PageArgs & { vpc_id?: string }>({
      query: (args) => `/security-groups${listQuery({ ...args })}`,
      providesTags: [{ type: 'SecurityGroup', id: 'LIST' }],
    }),
    getSecurityGroup: build.query<SecurityGroup, string>({
      query: (id) => `/security-groups/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'SecurityGroup', id }],
    }),
    createSecurityGroup: build.mutation<SecurityGroup, CreateSecurityGroup>({
      query: (body) => ({ url: '/security-groups', method: 'POST', body }),
      invalidatesTags: [{ type: 'SecurityGroup', id: 'LIST' }],
    }),
    updateSecurityGroup: build.mutation<SecurityGroup, { id: string; name?: string; description?: string }>({
      query: ({ id, ...body }) => ({ url: `/security-groups/${encodeURIComponent(id)}`, method: 'PUT', body }),
      invalidatesTags: ['SecurityGroup'],
    }),
    deleteSecurityGroup: build.mutation<void, string>({
      query: (id) => ({ url: `/security-groups/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error) => (error ? [] : ['SecurityGroup']),
    }),
    addSecurityGroupRule: build.mutation<SecurityGroupRule, CreateRule>({
      query: ({ groupId, ...body }) => ({ url: `/security-groups/${encodeURIComponent(groupId)}/rules`, method: 'POST', body }),
      invalidatesTags: (_r, _e, { groupId }) => [{ type: 'SecurityGroup', id: groupId }, { type: 'SecurityGroup', id: 'LIST' }],
    }),
    deleteSecurityGroupRule: build.mutation<void, { groupId: string; ruleId: string }>({
      query: ({ groupId, ruleId }) => ({
        url: `/security-groups/${encodeURIComponent(groupId)}/rules/${encodeURIComponent(ruleId)}`,
        method: 'DELETE',
      }),
      invalidatesTags: (_r, _e, { groupId }) => [{ type: 'SecurityGroup', id: groupId }, { type: 'SecurityGroup', id: 'LIST' }],
    }),
  }),
});

export const {
  useListSecurityGroupsQuery,
  useGetSecurityGroupQuery,
  useCreateSecurityGroupMutation,
  useUpdateSecurityGroupMutation,
  useDeleteSecurityGroupMutation,
  useAddSecurityGroupRuleMutation,
  useDeleteSecurityGroupRuleMutation,
} = securityGroupsApi;
