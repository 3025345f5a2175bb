import { useEffect } from 'react';
import { useStore } from 'react-redux';
import { api } from '../api/api';
import { apiBase } from '../api/baseQuery';
import { isMissingRoute } from '../api/errors';
import type { AppStore } from '../app/store';
import { useAppSelector } from '../app/hooks';
import { selectAccessToken, selectClaims } from '../auth/authSlice';
import { decodeAccessToken } from '../auth/jwt';
import { instancesApi, instanceUpdated } from '../features/instances/api';
import { liveStatusChanged } from './liveSlice';
import { startEventStream } from './eventStream';

/** A token that expires within this is refreshed before it is used to connect. */
const TOKEN_MARGIN_MS = 15_000;

/**
 * Keeps the session's one event stream (GET /events) open while the signed-in console is shown, and
 * applies each instance event to the RTK Query caches. Mounted once, by the layout of signed-in pages.
 */
export function useLiveEvents(): void {
  const store = useStore() as AppStore;
  const user = useAppSelector(selectClaims)?.sub;

  useEffect(() => {
    if (!user || typeof EventSource === 'undefined') {
      return undefined;
    }
    const { dispatch, getState } = store;

    // The base query refreshes the pair on a 401, so one light request yields a fresh token.
    const token = async (renew: boolean): Promise<string | null> => {
      const current = selectAccessToken(getState());
      const exp = decodeAccessToken(current)?.exp ?? 0;
      if (current && !renew && (exp === 0 || exp * 1000 > Date.now() + TOKEN_MARGIN_MS)) {
        return current;
      }
      if (!current) {
        return null;
      }
      const probe = await dispatch(instancesApi.endpoints.listInstances.initiate({ limit: 1 }, { subscribe: false, forceRefetch: true }));
      if (isMissingRoute(probe.error)) {
        return null; // a platform without the compute routes has no instance events either: stop trying
      }
      return getState().auth.status === 'authenticated' ? selectAccessToken(getState()) : null;
    };

    const stream = startEventStream({
      url: (t) => `${apiBase()}/events?access_token=${encodeURIComponent(t)}`,
      token,
      onInstance: (instance) => dispatch(instanceUpdated(instance)),
      onStatus: (status) => dispatch(liveStatusChanged(status)),
      onResync: () => dispatch(api.util.invalidateTags(['Instance'])),
    });
    return () => stream.stop();
  }, [store, user]);
}
