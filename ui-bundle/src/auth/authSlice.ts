import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { TokenPair } from '../api/types';
import { decodeAccessToken, type AccessClaims } from './jwt';
import type { StoredSession } from './session';

/**
 * anonymous: never signed in or signed out; authenticated: holds tokens; expired: the refresh token
 * was refused, the user must sign in again (the console says so rather than silently showing the login).
 */
export type AuthStatus = 'anonymous' | 'authenticated' | 'expired';

export interface AuthState {
  status: AuthStatus;
  accessToken: string | null;
  refreshToken: string | null;
  /** The email the user signed in with: the token names only the user id. */
  email: string | null;
  /** Signed out on purpose: the next sign-in starts at the dashboard, not at the page left. */
  signedOut?: boolean;
}

export const initialAuthState: AuthState = { status: 'anonymous', accessToken: null, refreshToken: null, email: null };

export function authStateFrom(session: StoredSession | null): AuthState {
  return session
    ? { status: 'authenticated', accessToken: session.accessToken, refreshToken: session.refreshToken, email: session.email }
    : initialAuthState;
}

const authSlice = createSlice({
  name: 'auth',
  initialState: initialAuthState,
  reducers: {
    loggedIn(state, action: PayloadAction<{ tokens: TokenPair; email: string }>) {
      state.status = 'authenticated';
      state.accessToken = action.payload.tokens.access_token;
      state.refreshToken = action.payload.tokens.refresh_token;
      state.signedOut = false;
      state.email = action.payload.email;
    },
    tokensRefreshed(state, action: PayloadAction<{ accessToken: string; refreshToken: string }>) {
      state.status = 'authenticated';
      state.accessToken = action.payload.accessToken;
      state.refreshToken = action.payload.refreshToken;
    },
    loggedOut() {
      return { ...initialAuthState, signedOut: true };
    },
    sessionExpired(state) {
      if (state.status === 'authenticated') {
        state.status = 'expired';
      }
      state.accessToken = null;
      state.refreshToken = null;
    },
    /** Another tab signed in, refreshed or signed out. */
    sessionSynced(state, action: PayloadAction<StoredSession | null>) {
      if (action.payload) {
        return authStateFrom(action.payload);
      }
      if (state.status === 'authenticated') {
        return initialAuthState;
      }
      return state;
    },
  },
});

export const { loggedIn, tokensRefreshed, loggedOut, sessionExpired, sessionSynced } = authSlice.actions;
export const authReducer = authSlice.reducer;

type WithAuth = { auth: AuthState };

export const selectAuth = (state: WithAuth): AuthState => state.auth;
export const selectAccessToken = (state: WithAuth): string | null => state.auth.accessToken;
export const selectRefreshToken = (state: WithAuth): string | null => state.auth.refreshToken;

let lastToken: string | null = null;
let lastClaims: AccessClaims | null = null;
/** The decoded claims of the current access token (memoised on the token). */
export const selectClaims = (state: WithAuth): AccessClaims | null => {
  if (state.auth.accessToken !== lastToken) {
    lastToken = state.auth.accessToken;
    lastClaims = decodeAccessToken(lastToken);
  }
  return lastClaims;
};
export const selectIsAdmin = (state: WithAuth): boolean => selectClaims(state)?.role === 'admin';
