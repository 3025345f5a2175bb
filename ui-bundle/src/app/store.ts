import { configureStore, combineReducers } from '@reduxjs/toolkit';
import { api } from '../api/api';
import { authReducer, authStateFrom, sessionSynced, type AuthState } from '../auth/authSlice';
import { readSession, SESSION_KEY, writeSession } from '../auth/session';
import { liveReducer } from '../live/liveSlice';

const rootReducer = combineReducers({ auth: authReducer, live: liveReducer, [api.reducerPath]: api.reducer });

export function makeStore(auth?: AuthState) {
  return configureStore({
    reducer: rootReducer,
    preloadedState: auth ? { auth } : undefined,
    middleware: (getDefault) => getDefault().concat(api.middleware),
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type RootState = ReturnType<typeof rootReducer>;
export type AppDispatch = AppStore['dispatch'];

/**
 * Keeps the session in localStorage in step with the store (written synchronously after each change,
 * so another tab's refresh sees it at once) and follows other tabs' sign-ins, refreshes and sign-outs.
 */
export function persistSession(store: AppStore): () => void {
  let last = store.getState().auth;
  const unsubscribe = store.subscribe(() => {
    const auth = store.getState().auth;
    if (auth === last) {
      return;
    }
    last = auth;
    const stored = readSession();
    if (auth.accessToken && auth.refreshToken) {
      if (stored?.accessToken !== auth.accessToken || stored?.refreshToken !== auth.refreshToken) {
        writeSession({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, email: auth.email });
      }
    } else if (stored) {
      writeSession(null);
    }
  });
  const onStorage = (event: StorageEvent) => {
    if (event.key === SESSION_KEY || event.key === null) {
      store.dispatch(sessionSynced(readSession()));
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    unsubscribe();
    window.removeEventListener('storage', onStorage);
  };
}

export function createConsoleStore(): AppStore {
  const store = makeStore(authStateFrom(readSession()));
  persistSession(store);
  return store;
}
