import {
  fetchBaseQuery,
  type BaseQueryApi,
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
} from '@reduxjs/toolkit/query';
import type { ApiErrorBody, TokenPair } from './types';
import { selectAccessToken, selectRefreshToken, sessionExpired, tokensRefreshed, type AuthState } from '../auth/authSlice';
import { readSession } from '../auth/session';

export const API_PATH = '/api/v1';

/** The API is on the console's own origin; an absolute URL also suits fetch implementations without a document. */
export function apiBase(): string {
  return typeof window !== 'undefined' && window.location?.origin && window.location.origin !== 'null'
    ? `${window.location.origin}${API_PATH}`
    : API_PATH;
}

type Outcome = 'refreshed' | 'expired' | { error: FetchBaseQueryError };
type Args = string | FetchArgs;

export interface AuthBaseQueryOptions {
  baseUrl?: string;
  fetchFn?: typeof fetch;
  timeout?: number;
}

const urlOf = (args: Args): string => (typeof args === 'string' ? args : args.url);

function withToken(args: Args, token: string | null): FetchArgs {
  const fetchArgs: FetchArgs = typeof args === 'string' ? { url: args } : { ...args };
  const headers = new Headers(fetchArgs.headers as HeadersInit | undefined);
  if (token) {
    headers.set('Authorization', `Bearer ${token}`);
  }
  headers.set('Accept', 'application/json');
  return { ...fetchArgs, headers };
}

/** A 401 whose code says the access token was missing, invalid or expired. */
function isAuthFailure(error: FetchBaseQueryError | undefined): boolean {
  if (!error || error.status !== 401) {
    return false;
  }
  const code = (error.data as Partial<ApiErrorBody> | undefined)?.code;
  return code === undefined || code === 'AuthFailure';
}

/** Runs fn while holding a lock shared by every tab of the console (Web Locks), or just runs it. */
async function withTabLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks?.request) {
    return locks.request(name, fn) as Promise<T>;
  }
  return fn();
}

/**
 * The API's base query with transparent token refresh. A request answered 401 AuthFailure triggers
 * one POST /auth/refresh with the stored refresh token; the new pair is stored and the request is
 * retried once. Requests failing while a refresh is under way wait for that refresh rather than
 * starting their own (each refresh token works once, and reusing one revokes the whole session), and
 * requests starting during a refresh wait for it before they are sent. When the refresh is refused,
 * the session is marked expired and the original 401 is returned.
 */
export function createAuthBaseQuery(options: AuthBaseQueryOptions = {}): BaseQueryFn<Args, unknown, FetchBaseQueryError> {
  const raw = fetchBaseQuery({ baseUrl: options.baseUrl ?? apiBase(), fetchFn: options.fetchFn, timeout: options.timeout ?? 30_000 });
  let refreshing: Promise<Outcome> | null = null;

  async function doRefresh(api: BaseQueryApi, extra: object): Promise<Outcome> {
    return withTabLock('gcp-console-token-refresh', async () => {
      const state = api.getState() as { auth: AuthState };
      const refreshToken = selectRefreshToken(state);
      // Another tab of the console may have rotated the pair meanwhile: use its pair, never the spent token.
      const stored = readSession();
      if (stored && refreshToken && stored.refreshToken !== refreshToken) {
        api.dispatch(tokensRefreshed({ accessToken: stored.accessToken, refreshToken: stored.refreshToken }));
        return 'refreshed';
      }
      if (!refreshToken) {
        api.dispatch(sessionExpired());
        return 'expired';
      }
      const answer = await raw(
        { url: '/auth/refresh', method: 'POST', body: { refresh_token: refreshToken }, headers: { Accept: 'application/json' } },
        api,
        extra,
      );
      if (answer.data) {
        const pair = answer.data as TokenPair;
        api.dispatch(tokensRefreshed({ accessToken: pair.access_token, refreshToken: pair.refresh_token }));
        return 'refreshed';
      }
      const error = answer.error as FetchBaseQueryError;
      if (error.status === 401 || error.status === 400) {
        api.dispatch(sessionExpired());
        return 'expired';
      }
      return { error }; // the platform could not be reached: keep the session, report the failure
    });
  }

  function refreshAfter(api: BaseQueryApi, extra: object, usedToken: string | null): Promise<Outcome> {
    const current = selectAccessToken(api.getState() as { auth: AuthState });
    if (current && current !== usedToken) {
      return Promise.resolve('refreshed'); // refreshed since this request was sent
    }
    if (!refreshing) {
      refreshing = doRefresh(api, extra).finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  return async (args, api, extra) => {
    const authRoute = urlOf(args).startsWith('/auth/');
    if (refreshing && !authRoute) {
      await refreshing.catch(() => undefined);
    }
    const token = authRoute ? null : selectAccessToken(api.getState() as { auth: AuthState });
    const result = await raw(withToken(args, token), api, extra);
    if (authRoute || !isAuthFailure(result.error)) {
      return result;
    }
    const outcome = await refreshAfter(api, extra as object, token);
    if (outcome === 'refreshed') {
      return raw(withToken(args, selectAccessToken(api.getState() as { auth: AuthState })), api, extra);
    }
    if (outcome === 'expired') {
      return result;
    }
    return { error: outcome.error };
  };
}
