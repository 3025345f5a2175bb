import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, json, stubFetch } from '../../test/http';
import { fill, renderAt } from '../../test/render';
import { pemFileName } from './PrivateKeyModal';

const PRIVATE = '-----BEGIN PRIVATE KEY-----\nMIIG-secret-material\n-----END PRIVATE KEY-----\n';
const pair = {
  id: 'kp-00001',
  name: 'laptop',
  fingerprint: 'SHA256:abc',
  public_key: 'ssh-rsa AAAA laptop',
  created_at: '2026-01-01T00:00:00Z',
};

describe('key pairs', () => {
  it('shows a generated private key once, and keeps no copy of it', async () => {
    let created = false;
    const calls = stubFetch((call) => {
      if (call.method === 'POST') {
        created = true;
        return json(201, { ...pair, private_key: PRIVATE });
      }
      return json(200, { items: created ? [pair] : [], next_page_token: null });
    });
    const user = userEvent.setup();
    const { store } = renderAt('/key-pairs');
    await user.click((await screen.findAllByRole('button', { name: /Create key pair/ }))[0]);
    const form = await screen.findByRole('dialog');
    fill(within(form).getByLabelText('Name'), 'laptop');
    await user.click(within(form).getByRole('button', { name: 'Create key pair' }));

    const shown = await screen.findByRole('dialog', { name: 'Private key of laptop' });
    expect(within(shown).getByLabelText('Private key')).toHaveValue(PRIVATE);
    expect(within(shown).getByText('This is the only time the private key is shown')).toBeInTheDocument();
    expect(within(shown).getByRole('button', { name: /Download .pem/ })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'laptop' });
    expect(JSON.stringify(store.getState())).not.toContain('secret-material');

    await user.click(within(shown).getByRole('button', { name: 'I have saved it' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Private key of laptop' })).not.toBeInTheDocument());
    expect(await screen.findByText('SHA256:abc')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('secret-material');
    expect(JSON.stringify(store.getState())).not.toContain('secret-material');
  });

  it('imports a public key and puts a bad one in words under its field', async () => {
    const calls = stubFetch((call) =>
      call.method === 'POST'
        ? apiError(400, 'InvalidKeyPair.Format', 'Key is not in valid OpenSSH public key format')
        : json(200, { items: [], next_page_token: null }),
    );
    const user = userEvent.setup();
    renderAt('/key-pairs');
    await user.click((await screen.findAllByRole('button', { name: /Import public key/ }))[0]);
    const form = await screen.findByRole('dialog');
    fill(within(form).getByLabelText('Name'), 'mine');
    fill(within(form).getByLabelText('Public key'), 'ssh-dss nope');
    await user.click(within(form).getByRole('button', { name: 'Import' }));
    const message = await within(form).findByText(/not an OpenSSH public key the platform accepts/);
    expect(message.closest('.ant-form-item')).toHaveTextContent('Public key');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'mine', public_key: 'ssh-dss nope' });
    expect(screen.queryByRole('dialog', { name: /Private key/ })).not.toBeInTheDocument();
  });

  it('names the .pem file after the pair', () => {
    expect(pemFileName('laptop')).toBe('laptop.pem');
    expect(pemFileName('my key/1')).toBe('my_key_1.pem');
  });
});
