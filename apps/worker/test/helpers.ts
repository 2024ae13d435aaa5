import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';

export const ORIGIN = 'http://api.test';
export const ADMIN_EMAIL = 'admin@example.test';
export const PASSWORD = 'correct horse battery';

const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;

/** Settings `call` runs the worker with on top of its own (e.g. `TEST_TAX_RATES`), until reset with `{}`. */
let overrides: Partial<Env> = {};
export const setEnvOverrides = (over: Partial<Env>) => {
  overrides = over;
};
export const envOverrides = () => overrides;
async function fetchWorker(req: Request): Promise<Response> {
  if (Object.keys(overrides).length === 0) return worker.fetch(req);
  const { createExecutionContext, waitOnExecutionContext } = await import('cloudflare:test');
  const app = (await import('../src/index')).default;
  const ctx = createExecutionContext();
  const res = await app.fetch(req, { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this raw string as the body instead of JSON-encoding `body`. */
  raw?: string;
  /** Send these bytes as the body (with their Content-Length), e.g. a video file. */
  bytes?: Uint8Array;
}

const randomIp = () => `10.${[...crypto.getRandomValues(new Uint8Array(3))].join('.')}`;

/** Calls the worker through its real fetch handler, as an HTTP client would. */
export async function call(method: string, path: string, opts: CallOptions = {}) {
  // Each call comes from its own client address unless a test says otherwise (rate limits key on it).
  const headers: Record<string, string> = { 'CF-Connecting-IP': randomIp(), ...opts.headers };
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  let body: string | Uint8Array | undefined;
  if (opts.bytes !== undefined) {
    body = opts.bytes;
    headers['Content-Length'] ??= String(opts.bytes.length);
    headers['Content-Type'] ??= 'application/octet-stream';
  } else if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetchWorker(new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' }));
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

let counter = 0;
export const uniqueEmail = (label = 'user') =>
  `${label}-${Date.now()}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.test`;
export const uniqueHandle = (label = 'c') => `${label}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
export const idemKey = () => `key-${crypto.randomUUID()}`;

export async function signup(email = uniqueEmail()) {
  const res = await call('POST', '/v1/auth/signup', { body: { email, password: PASSWORD } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return { token: res.json.token as string, user: res.json.user as { id: string; email: string }, email };
}

let adminToken: Promise<string> | null = null;
/** The admin's token; the in-flight promise is shared so concurrent first calls sign up only once. */
export function admin(): Promise<string> {
  adminToken ??= (async () => {
    const login = await call('POST', '/v1/auth/login', { body: { email: ADMIN_EMAIL, password: PASSWORD } });
    return login.status === 200 ? (login.json.token as string) : (await signup(ADMIN_EMAIL)).token;
  })();
  return adminToken;
}

/** A creator with a claimed handle; approved unless `status` says otherwise. */
export async function creator(status: 'approved' | 'pending' | 'suspended' = 'approved') {
  const account = await signup(uniqueEmail('creator'));
  const handle = uniqueHandle();
  const claim = await call('POST', '/v1/creators', {
    token: account.token,
    body: { handle, displayName: 'Demo Creator' },
  });
  if (claim.status !== 201) throw new Error(`claim failed: ${claim.status} ${claim.text}`);
  if (status !== 'pending') {
    const res = await call('POST', `/v1/admin/creators/${handle}/approve`, { token: await admin() });
    if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${res.text}`);
  }
  if (status === 'suspended') await call('POST', `/v1/admin/creators/${handle}/suspend`, { token: await admin() });
  return { ...account, handle };
}

export async function createSeries(token: string, body: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/series', { token, body: { title: 'My Series', currency: 'USD', ...body } });
  if (res.status !== 201) throw new Error(`series failed: ${res.status} ${res.text}`);
  return res.json.series as { id: string; slug: string; currency: string };
}

export async function addEpisode(token: string, seriesId: string, body: Record<string, unknown> = {}) {
  const res = await call('POST', `/v1/series/${seriesId}/episodes`, {
    token,
    body: { title: 'Episode', durationSeconds: 600, price: 199, ...body },
  });
  if (res.status !== 201) throw new Error(`episode failed: ${res.status} ${res.text}`);
  return res.json.episode as { id: string; number: number };
}

/**
 * Installs a video (the 3-second fixture) on an episode through the upload API, as its creator would: a premium
 * episode is sold only once it has one. The episode's duration becomes the file's (3 s).
 */
export async function installVideo(token: string, episodeId: string) {
  const bytes = Uint8Array.from(atob(env.FIXTURES['clip-3s.mp4']!), (ch) => ch.charCodeAt(0));
  const res = await call('PUT', `/v1/episodes/${episodeId}/media`, { token, bytes });
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${res.text}`);
}

/**
 * An approved creator with a published series: one free episode, two premium ones with their videos (so they can
 * be sold) and a bundle price.
 */
export async function publishedSeries(opts: { bundlePrice?: number | null; currency?: string } = {}) {
  const owner = await creator('approved');
  const series = await createSeries(owner.token, {
    currency: opts.currency ?? 'USD',
    bundlePrice: opts.bundlePrice === undefined ? 499 : opts.bundlePrice,
  });
  const trailer = await addEpisode(owner.token, series.id, { title: 'Trailer', price: null, durationSeconds: 60 });
  const ep2 = await addEpisode(owner.token, series.id, { title: 'Part 2', price: 199 });
  const ep3 = await addEpisode(owner.token, series.id, { title: 'Part 3', price: 299 });
  await installVideo(owner.token, ep2.id);
  await installVideo(owner.token, ep3.id);
  const pub = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
  if (pub.status !== 200) throw new Error(`publish failed: ${pub.status} ${pub.text}`);
  return { owner, series, trailer, ep2, ep3 };
}

export async function startCheckout(
  token: string,
  item: { episodeId: string } | { seriesId: string },
  key = idemKey(),
) {
  return call('POST', '/v1/checkout', { token, body: item, headers: { 'Idempotency-Key': key } });
}

/** Submits the test-mode checkout page's Pay (or Cancel) form, as the buyer's browser would. */
export async function submitCheckout(checkoutUrl: string, action: 'pay' | 'cancel' = 'pay') {
  const url = new URL(checkoutUrl);
  const form = new URLSearchParams({ sig: url.searchParams.get('sig') ?? '' });
  return call('POST', `${url.pathname}/${action}`, {
    raw: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

export async function buy(token: string, item: { episodeId: string } | { seriesId: string }) {
  const checkout = await startCheckout(token, item);
  if (checkout.status !== 201) throw new Error(`checkout failed: ${checkout.status} ${checkout.text}`);
  const paid = await submitCheckout(checkout.json.checkoutUrl);
  if (paid.status !== 303) throw new Error(`pay failed: ${paid.status} ${paid.text}`);
  return checkout.json.purchaseId as string;
}

type Res = { status: number; json: any; text?: string };

/** The API's error shape `{ error: { code, message, issues? } }` with this status and code. */
export function expectError(res: Res, status: number, code: string, issuePath?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.json?.error?.code).toBe(code);
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(res.json.error)) expect(['code', 'message', 'issues']).toContain(key);
  if (issuePath !== undefined) {
    expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(issuePath);
  }
}

/** 400 with the given code; for `invalid_request`, a non-empty list of `{ path, message }` issues. */
export function expectInvalid(res: Res, code = 'invalid_request') {
  expectError(res, 400, code);
  if (code === 'invalid_request') {
    expect(res.json.error.issues.length).toBeGreaterThan(0);
    for (const issue of res.json.error.issues)
      expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
}

/** The caller's own series (drafts included), as the owner sees them. */
export async function mine(token: string) {
  const res = await call('GET', '/v1/me/series', { token });
  expect(res.status).toBe(200);
  return res.json.series as any[];
}

export async function mineOne(token: string, id: string) {
  const res = await call('GET', `/v1/me/series/${id}`, { token });
  expect(res.status).toBe(200);
  return res.json.series;
}
