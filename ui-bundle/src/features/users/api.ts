import { api, listQuery } from '../../api/api';
import type { Page, PageArgs, User } from '../../api/types';

export const usersApi = api.injectEndpoints({
  endpoints: (build) => ({
    listUsers: build.query<Page<User>, PageArgs>({
      query: (args) => `/users${listQuery({ ...args })}`,
      providesTags: [{ type: 'User', id: 'LIST' }],
    }),
  }),
});

export const { useListUsersQuery } = usersApi;
