import { describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, json, stubFetch } from '../../test/http';
import { renderAt } from '../../test/render';
import { instance } from '../../test/fixtures';

/** Stands in for the browser's EventSource; the test pushes events through it. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  onopen: ((e: Event) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  listeners: Record<string, ((e: MessageEvent) => void)[]> = {};
  constructor(public url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  close() {}
  emit(type: string, data: unknown = '') {
    act(() => {
      for (const fn of this.listeners[type] ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
    });
  }
}

describe('instances, live', () => {
  it('follows instance events in the list without reloading', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const calls = stubFetch((call) =>
      call.url.startsWith('/api/v1/instances')
        ? json(200, { items: [instance(1)], next_page_token: null })
        : json(200, { items: [], next_page_token: null }),
    );
    renderAt('/instances');
    const row = (await screen.findByText('web-1')).closest('tr') as HTMLElement;
    expect(within(row).getByText('running')).toBeInTheDocument();
    await waitFor(() => expect(FakeEventSource.last?.url).toMatch(/\/api\/v1\/events\?access_token=/));
    const source = FakeEventSource.last!;
    source.emit('hello');
    const listCalls = calls.filter((c) => c.url.startsWith('/api/v1/instances')).length;

    source.emit('instance', instance(1, { state: 'stopping' }));
    source.emit('instance', instance(2, { state: 'pending' }));

    await waitFor(() => expect(within(row).getByText('stopping')).toBeInTheDocument());
    const added = (await screen.findByText('web-2')).closest('tr') as HTMLElement;
    expect(within(added).getByText('pending')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').map((r) => r.textContent ?? '');
    expect(rows.findIndex((t) => t.includes('web-1'))).toBeLessThan(rows.findIndex((t) => t.includes('web-2')));
    expect(calls.filter((c) => c.url.startsWith('/api/v1/instances')).length).toBe(listCalls);
  });

  it('offers the actions that make sense, and stops after confirmation', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const calls = stubFetch((call) => {
      if (call.method === 'POST' && call.url.endsWith('/stop')) {
        return json(200, instance(1, { state: 'stopping' }));
      }
      if (call.url === '/api/v1/instances/i-0001') {
        return json(200, instance(1, { state_reason: 'Started outside the platform' }));
      }
      return json(200, { items: [], next_page_token: null });
    });
    const user = userEvent.setup();
    renderAt('/instances/i-0001');
    expect((await screen.findAllByText('Started outside the platform'))[0]).toBeInTheDocument();
    expect(screen.getByText('Why it is running')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Start/ })).toBeDisabled();
    expect(screen.getByRole('button', { name: /Restart/ })).toBeEnabled();
    expect(screen.getByRole('button', { name: /Terminate/ })).toBeEnabled();
    await user.click(screen.getByRole('button', { name: /Stop/ }));
    const dialog = await screen.findByRole('dialog');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: /Stop/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/instances/i-0001/stop')).toBe(true));
    await waitFor(() => expect(screen.getAllByText('stopping').length).toBeGreaterThan(0));
    expect(screen.getByRole('button', { name: /Stop/ })).toBeDisabled();

    FakeEventSource.last!.emit('instance', instance(1, { state: 'stopped', state_reason: null }));
    await waitFor(() => expect(screen.getByRole('button', { name: /Start/ })).toBeEnabled());
    expect(screen.getByText('State history')).toBeInTheDocument();
  });

  it('shows the console output, and says so when the worker does not answer', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    let consoleAnswer = () => json(200, { instance_id: 'i-0001', output: 'gcp-init: ready\n', timestamp: '2026-01-01T00:00:00Z' });
    const calls = stubFetch((call) => {
      if (call.url === '/api/v1/instances/i-0001/console-output') {
        return consoleAnswer();
      }
      if (call.url === '/api/v1/instances/i-0001') {
        return json(200, instance(1));
      }
      return json(200, { items: [], next_page_token: null });
    });
    const user = userEvent.setup();
    renderAt('/instances/i-0001');
    const pre = await screen.findByLabelText('Console output');
    expect(pre.tagName).toBe('PRE');
    expect(pre).toHaveTextContent('gcp-init: ready');

    consoleAnswer = () =>
      apiError(503, 'ServiceUnavailable', "The worker w1 did not return the console output of instance 'i-0001' within 5 s; try again");
    await user.click(screen.getByRole('button', { name: /Refresh/ }));
    expect(await screen.findByText('The console output is not available right now')).toBeInTheDocument();
    expect(screen.getByText(/did not return the console output/)).toBeInTheDocument();
    expect(calls.filter((c) => c.url.endsWith('/console-output')).length).toBe(2);
  });

  it('shows the recorded state history with its reasons, and reads it again when the state moves', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    let history: { state: string; reason: string | null; created_at: string }[] = [
      { state: 'pending', reason: null, created_at: '2026-01-01T00:00:00Z' },
      { state: 'running', reason: null, created_at: '2026-01-01T00:00:05Z' },
    ];
    const calls = stubFetch((call) => {
      if (call.url === '/api/v1/instances/i-0001/events') {
        return json(200, { items: history, next_page_token: null });
      }
      if (call.url === '/api/v1/instances/i-0001') {
        return json(200, instance(1));
      }
      return json(200, { items: [], next_page_token: null });
    });
    renderAt('/instances/i-0001');
    const card = (await screen.findByText('State history')).closest('.ant-card') as HTMLElement;
    await waitFor(() => expect(within(card).getByText('pending')).toBeInTheDocument());
    expect(within(card).getByText('running')).toBeInTheDocument();

    history = [...history, { state: 'stopped', reason: 'The instance crashed: out of memory', created_at: '2026-01-01T00:01:00Z' }];
    await waitFor(() => expect(FakeEventSource.last).not.toBeNull());
    FakeEventSource.last!.emit('instance', instance(1, { state: 'stopped' }));
    await waitFor(() => expect(within(card).getByText('The instance crashed: out of memory')).toBeInTheDocument());
    expect(calls.filter((c) => c.url.endsWith('/events')).length).toBeGreaterThanOrEqual(2);
  });
});
