import type { AppType } from '@series/worker/client';
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';

/**
 * The API is on this page's own origin: the worker serves the dashboard beside it (and in development Vite
 * forwards `/v1` to the worker), so the session cookie is first-party.
 */
export const API_ORIGIN: string = globalThis.location?.origin || 'http://localhost';

/** D1's bookmark header: the newest one the API gave this page goes back with every request. */
export const BOOKMARK_HEADER = 'x-d1-bookmark';
let bookmark: string | null = null;

/**
 * `fetch` that carries D1's bookmark both ways, so a read after this page's own write sees that write even when
 * a read replica answers it. Bookmarks sort oldest to newest: the newest one is kept.
 */
export async function bookmarkedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (bookmark) headers.set(BOOKMARK_HEADER, bookmark);
  const res = await fetch(input, { ...init, headers });
  const next = res.headers.get(BOOKMARK_HEADER);
  if (next && (!bookmark || next > bookmark)) bookmark = next;
  return res;
}

/** The worker's typed client: routes, inputs and outputs come from the worker's own types. */
export const api = hc<AppType>(API_ORIGIN, { init: { credentials: 'include' }, fetch: bookmarkedFetch });

export interface Issue {
  path: string;
  message: string;
}

/** An API error in the worker's shape `{ error: { code, message, issues? } }`, or a transport failure. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** True when the API could not be reached at all (offline, worker down, proxy without upstream). */
  get unreachable(): boolean {
    return this.code === 'network' || this.code === 'api_unreachable';
  }
}

const UNREACHABLE =
  'Cannot reach the Series API. Check your connection, or whether the API is running, then try again.';

/** The success body of a typed client response: error statuses are thrown as {@link ApiFailure}. */
export type Body<R> =
  R extends ClientResponse<infer T, infer S, 'json'> ? (S extends SuccessStatusCode ? T : never) : never;

/**
 * Sends one typed request and returns its JSON body, or throws an {@link ApiFailure} whose message is the
 * API's own (so forms show exactly what the API said).
 * @example const { series } = await request(() => api.v1.me.series.$get());
 */
export async function request<R extends ClientResponse<unknown, number, 'json'>>(
  send: () => Promise<R>,
): Promise<Body<R>> {
  let res: Response;
  try {
    res = (await send()) as unknown as Response;
  } catch {
    throw new ApiFailure(0, 'network', UNREACHABLE);
  }
  try {
    return (await readBody(res)) as Body<R>;
  } catch (err) {
    // The session ended (expired, or signed out in another tab): the app goes back to the sign-in page.
    if (err instanceof ApiFailure && err.code === 'unauthorized')
      globalThis.dispatchEvent?.(new Event(SIGNED_OUT_EVENT));
    throw err;
  }
}

/** Dispatched on `window` when the API says the caller is not signed in (any request). */
export const SIGNED_OUT_EVENT = 'series:signed-out';

/** Parses a response of the API (also used for the upload's raw XHR responses). */
export async function readBody(res: Pick<Response, 'status' | 'ok' | 'text'>): Promise<unknown> {
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return checkBody(res.status, body);
}

export function checkBody(status: number, body: unknown): unknown {
  const error = (body as { error?: { code?: string; message?: string; issues?: Issue[] } } | null)?.error;
  if (status >= 200 && status < 300 && body !== null) return body;
  if (error?.code) {
    const { error: _, ...details } = body as Record<string, unknown>;
    throw new ApiFailure(status, error.code, error.message ?? error.code, error.issues ?? [], details);
  }
  // Not the API speaking: a gateway or dev proxy whose upstream is down.
  if (status === 0 || status >= 500) throw new ApiFailure(status, 'api_unreachable', UNREACHABLE);
  throw new ApiFailure(status, 'bad_response', `The API answered ${status} without a readable body`);
}
