import { fireEvent, render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router-dom';
import { makeStore, persistSession, type AppStore } from '../app/store';
import { Providers } from '../app/Providers';
import { authStateFrom } from '../auth/authSlice';
import { writeSession } from '../auth/session';
import { routes as appRoutes } from '../app/routes';
import { fakeJwt } from './http';

export function signedIn(role: 'admin' | 'user' = 'user', email = 'alice@example.com'): AppStore {
  const session = { accessToken: fakeJwt({ sub: '11111111-2222-3333-4444-555555555555', role, exp: 9999999999 }), refreshToken: 'r-1', email };
  writeSession(session);
  const store = makeStore(authStateFrom(session));
  persistSession(store);
  return store;
}

/** Renders the console's pages at a path, with a store (signed in as a tenant unless given). */
export function renderAt(path: string, options: { store?: AppStore; routes?: RouteObject[] } = {}) {
  const store = options.store ?? signedIn();
  if (options.store) {
    persistSession(store);
  }
  const router = createMemoryRouter(options.routes ?? appRoutes, { initialEntries: [path] });
  const view = render(
    <Providers store={store}>
      <RouterProvider router={router} future={{ v7_startTransition: true }} />
    </Providers>,
  );
  return { store, router, ...view };
}

/** Types a whole value at once (per-key typing is slow with Ant Design in jsdom). */
export function fill(input: HTMLElement, value: string) {
  fireEvent.change(input, { target: { value } });
}
