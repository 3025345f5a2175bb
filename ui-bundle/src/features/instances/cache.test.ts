import { describe, expect, it } from 'vitest';
import type { Instance, Page } from '../../api/types';
import { makeStore } from '../../app/store';
import { selectStateHistory } from '../../live/liveSlice';
import { instancesApi, instanceUpdated } from './api';
import { appendState, applyInstanceToPage, compareInstants } from './cache';
import { instance } from '../../test/fixtures';

const page = (items: Instance[], next: string | null = null): Page<Instance> => ({ items, next_page_token: next });
const ids = (p: Page<Instance>) => p.items.map((i) => i.id);

describe('applying an instance event to a page of instances', () => {
  it('replaces an instance where it stands, keeping the order', () => {
    const p = page([instance(1), instance(2), instance(3)]);
    expect(applyInstanceToPage(p, instance(2, { state: 'stopping' }), {})).toBe(true);
    expect(ids(p)).toEqual(['i-0001', 'i-0002', 'i-0003']);
    expect(p.items[1].state).toBe('stopping');
  });

  it('inserts a new instance at its place in the API order (oldest first)', () => {
    const p = page([instance(1), instance(3)]);
    applyInstanceToPage(p, instance(4, { state: 'pending' }), {});
    expect(ids(p)).toEqual(['i-0001', 'i-0003', 'i-0004']);
    applyInstanceToPage(p, instance(2), {});
    expect(ids(p)).toEqual(['i-0001', 'i-0002', 'i-0003', 'i-0004']);
  });

  it('inserts into an empty first page', () => {
    const p = page([]);
    applyInstanceToPage(p, instance(1, { state: 'pending' }), { limit: 25 });
    expect(ids(p)).toEqual(['i-0001']);
  });

  it('leaves a new instance to the page that holds its place', () => {
    const first = page([instance(1), instance(2)], 't2');
    expect(applyInstanceToPage(first, instance(9), { limit: 2 })).toBe(false);
    expect(ids(first)).toEqual(['i-0001', 'i-0002']);
    const last = page([instance(3)]);
    expect(applyInstanceToPage(last, instance(9), { limit: 2, page_token: 't2' })).toBe(true);
    expect(ids(last)).toEqual(['i-0003', 'i-0009']);
  });

  it('follows the filters: joins a list it now matches, leaves one it no longer matches', () => {
    const running = page([instance(1), instance(2)]);
    applyInstanceToPage(running, instance(1, { state: 'stopped' }), { state: 'running' });
    expect(ids(running)).toEqual(['i-0002']);
    const stopped = page([]);
    applyInstanceToPage(stopped, instance(1, { state: 'stopped' }), { state: 'stopped' });
    expect(ids(stopped)).toEqual(['i-0001']);
    const otherVpc = page([]);
    expect(applyInstanceToPage(otherVpc, instance(5), { vpc_id: 'vpc-b' })).toBe(false);
    expect(otherVpc.items).toHaveLength(0);
  });

  it('records a state in the history only when it changes', () => {
    let h = appendState(undefined, instance(1, { state: 'pending' }), 't1');
    h = appendState(h, instance(1, { state: 'pending' }), 't2');
    h = appendState(h, instance(1, { state: 'running' }), 't3');
    expect(h.map((s) => `${s.state}@${s.at}`)).toEqual(['pending@t1', 'running@t3']);
  });
});

describe('instanceUpdated (what the event stream dispatches)', () => {
  it('updates every cached list and the instance’s own entry', async () => {
    const store = makeStore();
    const all = { limit: 25 };
    const running = { limit: 25, state: 'running' };
    await store.dispatch(instancesApi.util.upsertQueryData('listInstances', all, page([instance(1), instance(2)])));
    await store.dispatch(instancesApi.util.upsertQueryData('listInstances', running, page([instance(1), instance(2)])));
    await store.dispatch(instancesApi.util.upsertQueryData('getInstance', 'i-0002', instance(2)));

    store.dispatch(instanceUpdated(instance(2, { state: 'stopping' })));
    store.dispatch(instanceUpdated(instance(3, { state: 'pending' })));

    const list = instancesApi.endpoints.listInstances.select(all)(store.getState()).data!;
    expect(list.items.map((i) => `${i.id}:${i.state}`)).toEqual(['i-0001:running', 'i-0002:stopping', 'i-0003:pending']);
    const onlyRunning = instancesApi.endpoints.listInstances.select(running)(store.getState()).data!;
    expect(ids(onlyRunning)).toEqual(['i-0001']);
    expect(instancesApi.endpoints.getInstance.select('i-0002')(store.getState()).data?.state).toBe('stopping');
    expect(selectStateHistory('i-0002')(store.getState()).map((s) => s.state)).toEqual(['running', 'stopping']);
  });
});

describe('answers and events that cross', () => {
  it('orders instants of any precision as the API prints them', () => {
    expect(compareInstants('2026-11-26T23:08:21.3Z', '2026-11-26T23:08:21.300001Z')).toBeLessThan(0);
    expect(compareInstants('2026-11-26T23:08:21Z', '2026-11-26T23:08:21.000Z')).toBe(0);
    expect(compareInstants('2026-11-26T23:08:22Z', '2026-11-26T23:08:21.999999Z')).toBeGreaterThan(0);
  });

  it('an older answer arriving after a newer event does not put the older state back', async () => {
    const store = makeStore();
    const all = { limit: 25 };
    const shuttingDown = instance(2, { state: 'shutting-down', updated_at: '2026-11-26T23:08:20.9Z' });
    const terminated = instance(2, { state: 'terminated', updated_at: '2026-11-26T23:08:21.301234Z' });
    await store.dispatch(instancesApi.util.upsertQueryData('listInstances', all, page([instance(1), instance(2)])));
    await store.dispatch(instancesApi.util.upsertQueryData('getInstance', 'i-0002', instance(2)));

    store.dispatch(instanceUpdated(terminated)); // the event stream: the worker was quick
    store.dispatch(instanceUpdated(shuttingDown)); // then the DELETE's own answer

    expect(instancesApi.endpoints.getInstance.select('i-0002')(store.getState()).data?.state).toBe('terminated');
    const list = instancesApi.endpoints.listInstances.select(all)(store.getState()).data!;
    expect(list.items.map((i) => `${i.id}:${i.state}`)).toEqual(['i-0001:running', 'i-0002:terminated']);
  });
});
