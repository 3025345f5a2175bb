import { vi } from 'vitest';

export interface Call {
  method: string;
  url: string;
  authorization: string | null;
  body: unknown;
}

type Handler = (call: Call) => Response | Promise<Response>;

export function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
}

export function apiError(status: number, code: string, message: string): Response {
  return json(status, { code, message, request_id: 'req-test' });
}

/** Replaces fetch with a handler; returns the calls made, in order. */
export function stubFetch(handler: Handler): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      const text = await request.clone().text();
      const call: Call = {
        method: request.method,
        url: new URL(request.url, 'http://localhost').pathname + new URL(request.url, 'http://localhost').search,
        authorization: request.headers.get('Authorization'),
        body: text ? JSON.parse(text) : undefined,
      };
      calls.push(call);
      return handler(call);
    }),
  );
  return calls;
}

/** A token the console can decode (unsigned: the console never verifies it). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}
