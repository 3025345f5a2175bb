import { api, listQuery } from '../../api/api';
import type { Page, PageArgs } from '../../api/types';

/**
 * Key pairs (the compute service, not yet in the API); fields from the key_pairs table of the schema.
 * When the routes land, check them against openapi.json and add import/create/delete here.
 */
export interface KeyPair {
  id: string;
  name: string;
  fingerprint: string;
  created_at: string;
}

export const keyPairsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listKeyPairs: build.query<Page<KeyPair>, PageArgs>({
      query: (args) => `/key-pairs${listQuery({ ...args })}`,
      providesTags: [{ type: 'KeyPair', id: 'LIST' }],
    }),
  }),
});

export const { useListKeyPairsQuery } = keyPairsApi;
