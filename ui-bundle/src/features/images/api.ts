import { api, listQuery } from '../../api/api';
import type { Image, Page, PageArgs } from '../../api/types';

export const imagesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listImages: build.query<Page<Image>, PageArgs>({
      query: (args) => `/images${listQuery({ ...args })}`,
      providesTags: [{ type: 'Image', id: 'LIST' }],
    }),
  }),
});

export const { useListImagesQuery } = imagesApi;
