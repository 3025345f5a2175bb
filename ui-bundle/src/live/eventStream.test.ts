import { describe, expect, it } from 'vitest';
import { backoffDelay, startEventStream, type EventSourceLike } from './eventStream';
import type { LiveStatus } from './liveSlice';
import type { Instance } from '../api/types';

class FakeSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(public url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data = '') {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data }));
  }
  fail() {
    this.onerror?.(new Event('error'));
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness(tokens: string[]) {
  const sources: FakeSource[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const statuses: LiveStatus[] = [];
  const instances: Instance[] = [];
  const renews: boolean[] = [];
  let resyncs = 0;
  let t = 0;
  const stream = startEventStream({
    url: (token) => `/api/v1/events?access_token=${token}`,
    token: async (renew) => {
      renews.push(renew);
      return tokens[Math.min(t++, tokens.length - 1)];
    },
    onInstance: (i) => instances.push(i),
    onStatus: (s) => statuses.push(s),
    onResync: () => resyncs++,
    create: (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    },
    random: () => 1,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
  });
  return { stream, sources, timers, statuses, instances, renews, resyncs: () => resyncs };
}

describe('the event stream', () => {
  it('connects with the access token in the query and hands over instance events', async () => {
    const h = harness(['tok-1']);
    await flush();
    expect(h.sources).toHaveLength(1);
    expect(h.sources[0].url).toBe('/api/v1/events?access_token=tok-1');
    h.sources[0].emit('hello');
    expect(h.statuses.at(-1)).toBe('open');
    h.sources[0].emit('instance', JSON.stringify({ id: 'i-1', state: 'running' }));
    h.sources[0].emit('instance', 'not json');
    expect(h.instances.map((i) => i.id)).toEqual(['i-1']);
  });

  it('reconnects after a drop with a growing wait and a fresh token, then resyncs', async () => {
    const h = harness(['tok-1', 'tok-2', 'tok-3']);
    await flush();
    h.sources[0].emit('hello');
    h.sources[0].fail();
    expect(h.sources[0].closed).toBe(true);
    expect(h.statuses.at(-1)).toBe('reconnecting');
    expect(h.timers.map((x) => x.ms)).toEqual([1000]);

    h.timers[0].fn();
    await flush();
    expect(h.sources[1].url).toContain('tok-2');
    h.sources[1].fail(); // refused before hello: the next try asks for a renewed token, and waits longer
    expect(h.timers.map((x) => x.ms)).toEqual([1000, 2000]);
    h.timers[1].fn();
    await flush();
    expect(h.renews).toEqual([false, false, true]);
    expect(h.sources[2].url).toContain('tok-3');
    h.sources[2].emit('hello');
    expect(h.resyncs()).toBe(1);
    h.sources[2].fail();
    expect(h.timers.at(-1)?.ms).toBe(1000); // the wait starts over after a good connection
  });

  it('stops for good', async () => {
    const h = harness(['tok-1']);
    await flush();
    h.stream.stop();
    expect(h.sources[0].closed).toBe(true);
    expect(h.statuses.at(-1)).toBe('off');
    h.sources[0].fail();
    expect(h.timers).toHaveLength(0);
  });

  it('caps the wait', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(10, 1000, 30_000, () => 0)).toBe(22_500);
  });
});
