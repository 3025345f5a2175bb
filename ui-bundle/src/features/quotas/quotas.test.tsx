import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, stubFetch } from '../../test/http';
import { renderAt } from '../../test/render';

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('quotas on the dashboard', () => {
  it('shows each limit with what the tenant holds', async () => {
    const calls = stubFetch((call) =>
      call.url === '/api/v1/quotas'
        ? json(200, {
            quotas: [
              { resource: 'instances', limit: 10, usage: 3, is_default: true },
              { resource: 'memory_mib', limit: 4096, usage: 1536, is_default: false },
            ],
          })
        : json(200, { items: [], next_page_token: null }),
    );
    renderAt('/');
    expect(await screen.findByLabelText('Instances 3 / 10')).toBeTruthy();
    expect(screen.getByLabelText('Memory 1.5 GiB / 4 GiB')).toBeTruthy();
    expect(calls.some((c) => c.url === '/api/v1/quotas')).toBe(true);
  });
});
