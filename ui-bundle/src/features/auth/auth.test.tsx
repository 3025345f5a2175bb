import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeStore } from '../../app/store';
import { sessionExpired } from '../../auth/authSlice';
import { SESSION_KEY } from '../../auth/session';
import { apiError, fakeJwt, json, stubFetch } from '../../test/http';
import { fill, renderAt, signedIn } from '../../test/render';

describe('sign-in', () => {
  it('sends a visitor to the sign-in page, then back where they were going', async () => {
    const token = fakeJwt({ sub: 'u-1', role: 'user', exp: 9999999999 });
    stubFetch((call) =>
      call.url === '/api/v1/auth/login'
        ? json(200, { access_token: token, refresh_token: 'r', token_type: 'Bearer', expires_in: 900 })
        : json(200, { items: [], next_page_token: null }),
    );
    const user = userEvent.setup();
    const { router } = renderAt('/vpcs', { store: makeStore() });

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    fill(screen.getByLabelText('Email'), 'alice@example.com');
    fill(screen.getByLabelText('Password'), 'correct-horse-battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/vpcs'));
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!)).toMatchObject({ accessToken: token, email: 'alice@example.com' });
  });

  it("shows the API's message for wrong credentials", async () => {
    stubFetch(() => apiError(401, 'InvalidCredentials', 'The email or password is incorrect'));
    const user = userEvent.setup();
    renderAt('/login', { store: makeStore() });
    fill(await screen.findByLabelText('Email'), 'alice@example.com');
    fill(screen.getByLabelText('Password'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is incorrect');
  });

  it('says so when the session expired, and offers to sign in again', async () => {
    stubFetch(() => json(200, { items: [], next_page_token: null }));
    const store = signedIn();
    const { router } = renderAt('/vpcs', { store });
    await screen.findByRole('heading', { name: 'VPCs' });

    store.dispatch(sessionExpired());

    expect(await screen.findByText('Your session has ended')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in again' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toBe('?next=%2Fvpcs');
  });
});

describe('registration', () => {
  it('puts a duplicate email under the email field', async () => {
    stubFetch(() => apiError(409, 'InvalidUser.Duplicate', "A user with the email 'alice@example.com' already exists"));
    const user = userEvent.setup();
    renderAt('/register', { store: makeStore() });
    fill(await screen.findByLabelText('Username'), 'alice');
    fill(screen.getByLabelText('Email'), 'alice@example.com');
    fill(screen.getByLabelText('Password'), 'correct-horse-battery');
    fill(screen.getByLabelText('Confirm password'), 'correct-horse-battery');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const message = await screen.findByText("A user with the email 'alice@example.com' already exists");
    expect(message.closest('.ant-form-item')).toHaveTextContent('Email');
  });
});

describe('navigation', () => {
  it('shows the users page to administrators only', async () => {
    stubFetch(() => json(200, { items: [], next_page_token: null }));
    renderAt('/', { store: signedIn('user') });
    await screen.findByRole('heading', { name: 'Dashboard' });
    expect(screen.queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
  });

  it('lists users for an administrator', async () => {
    stubFetch((call) =>
      call.url.startsWith('/api/v1/users')
        ? json(200, {
            items: [
              { id: 'u-1', username: 'admin', email: 'admin@gcp.local', role: 'admin', is_active: true, created_at: '2026-11-26T10:00:00Z', updated_at: '2026-11-26T10:00:00Z' },
            ],
            next_page_token: null,
          })
        : json(200, { items: [], next_page_token: null }),
    );
    renderAt('/admin/users', { store: signedIn('admin') });
    expect(await screen.findByText('admin@gcp.local')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Users' })).toBeInTheDocument();
  });
});

describe('dashboard', () => {
  it('says instances arrive with the compute service when the platform has no such route', async () => {
    stubFetch((call) =>
      call.url.startsWith('/api/v1/instances') || call.url.startsWith('/api/v1/security-groups')
        ? apiError(404, 'InvalidAction', `No such route: GET ${call.url}`)
        : json(200, { items: [], next_page_token: null }),
    );
    renderAt('/');
    expect(await screen.findByText('No instances yet: they arrive with the compute service.')).toBeInTheDocument();
    expect(screen.getByText('Security groups are not served by this platform yet.')).toBeInTheDocument();
  });
});
