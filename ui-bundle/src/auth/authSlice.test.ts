import { describe, expect, it } from 'vitest';
import { authReducer, initialAuthState, loggedIn, selectClaims, selectIsAdmin, sessionExpired, sessionSynced } from './authSlice';
import { decodeAccessToken } from './jwt';
import { fakeJwt } from '../test/http';

const pair = (access: string) => ({ access_token: access, refresh_token: 'r', token_type: 'Bearer' as const, expires_in: 900 });

describe('auth slice', () => {
  it('reads the role claim of the access token', () => {
    const admin = authReducer(initialAuthState, loggedIn({ tokens: pair(fakeJwt({ sub: 'u1', role: 'admin', exp: 1 })), email: 'a@b' }));
    expect(selectIsAdmin({ auth: admin })).toBe(true);
    expect(selectClaims({ auth: admin })).toEqual({ sub: 'u1', role: 'admin', exp: 1 });
    const user = authReducer(initialAuthState, loggedIn({ tokens: pair(fakeJwt({ sub: 'u2', role: 'user' })), email: 'c@d' }));
    expect(selectIsAdmin({ auth: user })).toBe(false);
  });

  it('treats a token it cannot read as no claims', () => {
    expect(decodeAccessToken('not-a-jwt')).toBeNull();
    expect(decodeAccessToken('a.%%%.c')).toBeNull();
    expect(decodeAccessToken(fakeJwt({ role: 'admin' }))).toBeNull(); // no subject
  });

  it('expires a signed-in session and forgets its tokens', () => {
    const signedIn = authReducer(initialAuthState, loggedIn({ tokens: pair('t'), email: 'a@b' }));
    const expired = authReducer(signedIn, sessionExpired());
    expect(expired).toMatchObject({ status: 'expired', accessToken: null, refreshToken: null });
  });

  it("follows another tab's sign-out", () => {
    const signedIn = authReducer(initialAuthState, loggedIn({ tokens: pair('t'), email: 'a@b' }));
    expect(authReducer(signedIn, sessionSynced(null)).status).toBe('anonymous');
    expect(authReducer(initialAuthState, sessionSynced({ accessToken: 'x', refreshToken: 'y', email: null })).status).toBe('authenticated');
  });
});
