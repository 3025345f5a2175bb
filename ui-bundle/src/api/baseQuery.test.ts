import { describe, expect, it } from 'vitest';
import { makeStore, persistSession } from '../app/store';
import { authStateFrom } from '../auth/authSlice';
import { SESSION_KEY, writeSession } from '../auth/session';
import { apiError, fakeJwt, json, stubFetch } from '../test/http';
import { vpcsApi } from '../features/vpcs/api';

const OLD = { accessToken: 'old-access', refreshToken: 'old-refresh', email: 'alice@example.com' };
const NEW_PAIR = { access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'Bearer', expires_in: 900 };
const emptyPage = { items: [], next_page_token: null };

function signedInStore() {
  writeSession(OLD);
  const store = makeStore(authStateFrom(OLD));
  persistSession(store);
  return store;
}

describe('token refresh', () => {
  it('refreshes once on 401 AuthFailure, stores the new pair and retries', async () => {
    const store = signedInStore();
    const calls = stubFetch((call) => {
      if (call.url === '/api/v1/auth/refresh') {
        return json(200, NEW_PAIR);
      }
      return call.authorization === 'Bearer new-access' ? json(200, emptyPage) : apiError(401, 'AuthFailure', 'The access token has expired');
    });

    const result = await store.dispatch(vpcsApi.endpoints.listVpcs.initiate({ limit: 10 }));

    expect(result.data).toEqual(emptyPage);
    expect(calls.map((c) => `${c.method} ${c.url} ${c.authorization ?? '-'}`)).toEqual([
      'GET /api/v1/vpcs?limit=10 Bearer old-access',
      'POST /api/v1/auth/refresh -',
      'GET /api/v1/vpcs?limit=10 Bearer new-access',
    ]);
    expect(calls[1].body).toEqual({ refresh_token: 'old-refresh' });
    expect(store.getState().auth).toMatchObject({ status: 'authenticated', accessToken: 'new-access', refreshToken: 'new-refresh' });
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!)).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh' });
  });

  it('makes concurrent 401s share one refresh', async () => {
    const store = signedInStore();
    let refreshes = 0;
    stubFetch(async (call) => {
      if (call.url === '/api/v1/auth/refresh') {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return json(200, NEW_PAIR);
      }
      return call.authorization === 'Bearer new-access' ? json(200, emptyPage) : apiError(401, 'AuthFailure', 'expired');
    });

    const results = await Promise.all([
      store.dispatch(vpcsApi.endpoints.listVpcs.initiate({ limit: 1 })),
      store.dispatch(vpcsApi.endpoints.listVpcs.initiate({ limit: 2 })),
      store.dispatch(vpcsApi.endpoints.listVpcs.initiate({ limit: 3 })),
      store.dispatch(vpcsApi.endpoints.getVpc.initiate('v-1')),
    ]);

    expect(refreshes).toBe(1);
    expect(results.every((r) => !r.error)).toBe(true);
  });

  it('marks the session expired when the refresh token is refused', async () => {
    const store = signedInStore();
    const calls = stubFetch((call) =>
      call.url === '/api/v1/auth/refresh'
        ? apiError(401, 'InvalidRefreshToken', 'The refresh token is invalid, expired or already used; log in again')
        : apiError(401, 'AuthFailure', 'The access token has expired'),
    );

    const result = await store.dispatch(vpcsApi.endpoints.listVpcs.initiate({}));

    expect(result.error).toMatchObject({ status: 401 });
    expect(calls).toHaveLength(2); // no retry, no second refresh
    expect(store.getState().auth).toMatchObject({ status: 'expired', accessToken: null, refreshToken: null });
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('keeps the session when the platform cannot be reached during the refresh', async () => {
    const store = signedInStore();
    stubFetch((call) => {
      if (call.url === '/api/v1/auth/refresh') {
        throw new TypeError('Failed to fetch');
      }
      return apiError(401, 'AuthFailure', 'expired');
    });

    const result = await store.dispatch(vpcsApi.endpoints.listVpcs.initiate({}));

    expect(result.error).toMatchObject({ status: 'FETCH_ERROR' });
    expect(store.getState().auth.status).toBe('authenticated');
  });

  it('does not refresh on other 401s, nor on the auth routes', async () => {
    const store = signedInStore();
    const calls = stubFetch(() => apiError(401, 'InvalidCredentials', 'The email or password is incorrect'));

    await store.dispatch(vpcsApi.endpoints.listVpcs.initiate({}));

    expect(calls.map((c) => c.url)).toEqual(['/api/v1/vpcs']);
    expect(store.getState().auth.status).toBe('authenticated');
  });

  it("takes the pair another tab already rotated instead of spending the old refresh token", async () => {
    const store = makeStore(authStateFrom(OLD));
    // Another tab refreshed: storage holds the new pair, this tab's store still the old one.
    writeSession({ accessToken: 'new-access', refreshToken: 'new-refresh', email: OLD.email });
    const calls = stubFetch((call) =>
      call.authorization === 'Bearer new-access' ? json(200, emptyPage) : apiError(401, 'AuthFailure', 'expired'),
    );

    const result = await store.dispatch(vpcsApi.endpoints.listVpcs.initiate({}));

    expect(result.data).toEqual(emptyPage);
    expect(calls.some((c) => c.url.includes('/auth/refresh'))).toBe(false);
    expect(store.getState().auth.accessToken).toBe('new-access');
  });

  it('sends the bearer token of the current session', async () => {
    const token = fakeJwt({ sub: 'u-1', role: 'user', exp: 9999999999 });
    const store = makeStore(authStateFrom({ accessToken: token, refreshToken: 'r', email: null }));
    const calls = stubFetch(() => json(200, emptyPage));
    await store.dispatch(vpcsApi.endpoints.listVpcs.initiate({ limit: 5, page_token: 'abc' }));
    expect(calls[0]).toMatchObject({ url: '/api/v1/vpcs?limit=5&page_token=abc', authorization: `Bearer ${token}` });
  });
});
