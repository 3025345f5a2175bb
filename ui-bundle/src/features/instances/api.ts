import type { ThunkDispatch, UnknownAction } from '@reduxjs/toolkit';
import { api, listQuery } from '../../api/api';
import type { Instance, InstanceState, Page } from '../../api/types';
import type { RootState } from '../../app/store';
import { instanceSeen } from '../../live/liveSlice';
import { applyInstanceToPage, isOlder, type InstanceListArgs } from './cache';

export type { Instance, InstanceState } from '../../api/types';
export type { InstanceListArgs } from './cache';

export const INSTANCE_STATES: readonly InstanceState[] = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];

/** States an instance passes through on its way to another: shown with a spinner. */
export const TRANSITIONAL_STATES: readonly string[] = ['pending', 'stopping', 'shutting-down'];

/** The body of POST /instances. */
export interface LaunchInstance {
  name?: string;
  instance_type: string;
  image_id: string;
  subnet_id: string;
  security_group_ids?: string[];
  key_name?: string;
  user_data?: string;
  tags?: Record<string, string>;
}

export interface UpdateInstance {
  id: string;
  name?: string;
  security_group_ids?: string[];
  tags?: Record<string, string>;
}

export type InstanceAction = 'start' | 'stop' | 'restart';

/** GET /instances/{id}/console-output: the tail (at most 64 KiB) of the instance's console, read from its worker. */
export interface ConsoleOutputResult {
  instance_id: string;
  output: string;
  timestamp: string;
}

type Dispatch = ThunkDispatch<RootState, unknown, UnknownAction>;

/**
 * What the platform says an instance now is (an `instance` event of GET /events, or the answer to an
 * action) goes into every cached list of instances and into the instance's own cache entry, so pages
 * follow state changes without reloading or polling.
 */
export function instanceUpdated(instance: Instance) {
  return (dispatch: Dispatch, getState: () => RootState) => {
    const state = getState();
    for (const args of instancesApi.util.selectCachedArgsForQuery(state, 'listInstances')) {
      dispatch(
        instancesApi.util.updateQueryData('listInstances', args, (draft) => {
          applyInstanceToPage(draft, instance, args);
        }),
      );
    }
    const shown = instancesApi.endpoints.getInstance.select(instance.id)(state).data;
    if (isOlder(instance, shown)) {
      return; // an answer that crossed a later event: what is shown is newer
    }
    dispatch(instancesApi.util.updateQueryData('getInstance', instance.id, () => instance));
    dispatch(instanceSeen({ instance, at: new Date().toISOString() }));
  };
}

/** After an action answered with the instance: show it at once (the event stream confirms later). */
async function applyAnswer(queryFulfilled: Promise<{ data: Instance }>, dispatch: Dispatch) {
  try {
    const { data } = await queryFulfilled;
    dispatch(instanceUpdated(data));
  } catch {
    // the page shows the error
  }
}

/** One entry of an instance's state history (GET /instances/{id}/events). */
export interface InstanceEvent {
  state: Instance['state'];
  reason: string | null;
  created_at: string;
}

export const instancesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listInstances: build.query<Page<Instance>, InstanceListArgs>({
      query: (args) => `/instances${listQuery({ ...args })}`,
      providesTags: [{ type: 'Instance', id: 'LIST' }],
    }),
    getInstance: build.query<Instance, string>({
      query: (id) => `/instances/${encodeURIComponent(id)}`,
      providesTags: (_r, _e, id) => [{ type: 'Instance', id }],
      async onQueryStarted(_id, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(instanceSeen({ instance: data, at: new Date().toISOString() }));
        } catch {
          // the page shows the error
        }
      },
    }),
    /** Every state the instance went through, with its reason, oldest first (the platform records them). */
    getInstanceHistory: build.query<Page<InstanceEvent>, string>({
      query: (id) => `/instances/${encodeURIComponent(id)}/events`,
      keepUnusedDataFor: 0,
    }),
    /** Not cached between visits: the worker is asked anew each time (it answers within a few seconds, or 503). */
    getConsoleOutput: build.query<ConsoleOutputResult, string>({
      query: (id) => `/instances/${encodeURIComponent(id)}/console-output`,
      keepUnusedDataFor: 0,
    }),
    launchInstance: build.mutation<Instance, LaunchInstance>({
      query: (body) => ({ url: '/instances', method: 'POST', body }),
      async onQueryStarted(_body, { dispatch, queryFulfilled }) {
        await applyAnswer(queryFulfilled, dispatch as Dispatch);
      },
    }),
    updateInstance: build.mutation<Instance, UpdateInstance>({
      query: ({ id, ...body }) => ({ url: `/instances/${encodeURIComponent(id)}`, method: 'PUT', body }),
      async onQueryStarted(_body, { dispatch, queryFulfilled }) {
        await applyAnswer(queryFulfilled, dispatch as Dispatch);
      },
    }),
    instanceAction: build.mutation<Instance, { id: string; action: InstanceAction }>({
      query: ({ id, action }) => ({ url: `/instances/${encodeURIComponent(id)}/${action}`, method: 'POST', body: {} }),
      async onQueryStarted(_args, { dispatch, queryFulfilled }) {
        await applyAnswer(queryFulfilled, dispatch as Dispatch);
      },
    }),
    terminateInstance: build.mutation<Instance, string>({
      query: (id) => ({ url: `/instances/${encodeURIComponent(id)}`, method: 'DELETE' }),
      async onQueryStarted(_id, { dispatch, queryFulfilled }) {
        await applyAnswer(queryFulfilled, dispatch as Dispatch);
      },
    }),
  }),
});

export const {
  useListInstancesQuery,
  useGetInstanceQuery,
  useGetConsoleOutputQuery,
  useGetInstanceHistoryQuery,
  useLaunchInstanceMutation,
  useUpdateInstanceMutation,
  useInstanceActionMutation,
  useTerminateInstanceMutation,
} = instancesApi;

/** Which actions make sense in a state (EC2's rules; the buttons of the others are disabled). */
export function allowedActions(state: string): { start: boolean; stop: boolean; restart: boolean; terminate: boolean } {
  return {
    start: state === 'stopped',
    stop: state === 'running',
    restart: state === 'running',
    terminate: state !== 'shutting-down' && state !== 'terminated',
  };
}
