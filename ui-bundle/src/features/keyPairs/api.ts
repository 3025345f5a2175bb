import { api, listQuery } from '../../api/api';
import type { KeyPair, Page, PageArgs } from '../../api/types';

export type { KeyPair } from '../../api/types';

/** POST /key-pairs: with a public key it imports it; without, the platform generates a pair. */
export interface CreateKeyPair {
  name: string;
  public_key?: string;
}

export const keyPairsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listKeyPairs: build.query<Page<KeyPair>, PageArgs>({
      query: (args) => `/key-pairs${listQuery({ ...args })}`,
      providesTags: [{ type: 'KeyPair', id: 'LIST' }],
    }),
    getKeyPair: build.query<KeyPair, string>({
      query: (id) => `/key-pairs/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'KeyPair', id }],
    }),
    /** The answer of a generated pair holds the private key: callers show it once and keep no copy. */
    createKeyPair: build.mutation<KeyPair, CreateKeyPair>({
      query: (body) => ({ url: '/key-pairs', method: 'POST', body }),
      invalidatesTags: (_r, error) => (error ? [] : [{ type: 'KeyPair', id: 'LIST' }]),
    }),
    deleteKeyPair: build.mutation<void, string>({
      query: (id) => ({ url: `/key-pairs/${encodeURIComponent(id)}`, method: 'DELETE' }),
      invalidatesTags: (_r, error, id) => (error ? [] : [{ type: 'KeyPair', id: 'LIST' }, { type: 'KeyPair', id }]),
    }),
  }),
});

export const { useListKeyPairsQuery, useGetKeyPairQuery, useCreateKeyPairMutation, useDeleteKeyPairMutation } = keyPairsApi;
