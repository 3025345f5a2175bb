import type { Instance } from '../api/types';
import type { LiveStatus } from './liveSlice';

/** What the stream needs of an EventSource (the browser's, or a test's). */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface EventStreamOptions {
  /** The stream's URL for an access token. */
  url: (token: string) => string;
  /**
   * A usable access token; `renew` asks for one refreshed if need be (the last connection was
   * refused, perhaps because its token had expired). null: no session, stop trying.
   */
  token: (renew: boolean) => Promise<string | null>;
  onInstance: (instance: Instance) => void;
  onStatus: (status: LiveStatus) => void;
  /** Connected again after a drop: events may have been missed, so lists should be read again. */
  onResync: () => void;
  create?: (url: string) => EventSourceLike;
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface EventStream {
  stop: () => void;
}

/** The wait before reconnect attempt n (0-based): doubling from the first, capped, with some jitter. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.75 + 0.25 * random()));
}

/**
 * One Server-Sent Events connection to GET /events for the session: `hello` on connecting, then an
 * `instance` event whenever one of the caller's instances changes. On any failure the connection is
 * closed and made again after a growing wait, with a token fresh from the session (the browser's own
 * retry would reuse a token that may have expired).
 */
export function startEventStream(options: EventStreamOptions): EventStream {
  const create = options.create ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike);
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const initialMs = options.initialDelayMs ?? 1000;
  const maxMs = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;

  let source: EventSourceLike | null = null;
  let timer: unknown = null;
  let stopped = false;
  let attempt = 0;
  let everConnected = false;
  let openedSinceConnect = false;

  const connect = async (renew: boolean) => {
    timer = null;
    openedSinceConnect = false;
    options.onStatus(everConnected || attempt > 0 ? 'reconnecting' : 'connecting');
    let token: string | null;
    try {
      token = await options.token(renew);
    } catch {
      retry(); // the platform could not be reached to refresh the session
      return;
    }
    if (stopped) {
      return;
    }
    if (!token) {
      options.onStatus('off');
      return;
    }
    const es = create(options.url(token));
    source = es;
    const opened = () => {
      if (openedSinceConnect || source !== es) {
        return;
      }
      openedSinceConnect = true;
      attempt = 0;
      options.onStatus('open');
      if (everConnected) {
        options.onResync();
      }
      everConnected = true;
    };
    es.addEventListener('hello', opened);
    es.addEventListener('instance', (event: MessageEvent) => {
      if (source !== es) {
        return;
      }
      opened();
      try {
        options.onInstance(JSON.parse(String(event.data)) as Instance);
      } catch {
        // not an instance: ignore it
      }
    });
    es.onerror = () => {
      if (source !== es) {
        return;
      }
      es.close();
      source = null;
      retry();
    };
  };

  const retry = () => {
    if (stopped) {
      return;
    }
    const refused = !openedSinceConnect;
    options.onStatus('reconnecting');
    const delay = backoffDelay(attempt, initialMs, maxMs, random);
    attempt += 1;
    timer = setTimer(() => void connect(refused), delay);
  };

  void connect(false);

  return {
    stop: () => {
      stopped = true;
      if (timer !== null) {
        clearTimer(timer);
        timer = null;
      }
      source?.close();
      source = null;
      options.onStatus('off');
    },
  };
}
