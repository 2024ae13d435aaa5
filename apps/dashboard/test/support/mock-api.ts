import { CATALOGUES } from '@series/core';
import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Reply = { status: number; body?: unknown } | 'network-error';
type Handler = Reply | ((call: Call) => Reply);

/**
 * Answers the typed client's requests in component tests, keyed by "METHOD /path" (without the query);
 * anything unlisted answers 404 like the worker does. Returns the calls made, to assert on what was sent.
 */
export function mockApi(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const method = (init?.method ?? 'GET').toUpperCase();
      const text = typeof init?.body === 'string' ? init.body : '';
      const call: Call = {
        method,
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : undefined,
      };
      const handler = routes[`${method} ${url.pathname}`];
      // The dashboard's texts, as the worker serves them, unless a test answers them itself (not counted).
      if (!handler && method === 'GET' && url.pathname === '/v1/texts/dashboard') {
        const lang = url.searchParams.get('lang') === 'fr' ? 'fr' : 'en';
        const messages = Object.fromEntries(
          Object.entries(CATALOGUES[lang]).filter(([k]) => k.startsWith('dashboard.')),
        );
        return new Response(JSON.stringify({ locale: lang, messages }), {
          headers: { 'content-type': 'application/json' },
        });
      }
      calls.push(call);
      const reply =
        typeof handler === 'function'
          ? handler(call)
          : (handler ?? { status: 404, body: apiError('not_found', 'Not found') });
      if (reply === 'network-error') throw new TypeError('Failed to fetch');
      return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return calls;
}

/** The worker's error body. */
export const apiError = (code: string, message: string, issues?: { path: string; message: string }[]) => ({
  error: { code, message, ...(issues ? { issues } : {}) },
});
