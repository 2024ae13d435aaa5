// Drives TikTok's Login Kit flow against the stand-in (scripts/tiktok-stand-in.mjs) as a browser would: our start
// route, the stand-in's authorize page (its form posted with the chosen account), TikTok's redirect back to our
// callback with the flow's cookie.
import { env } from 'cloudflare:workers';
import { ACCOUNTS } from '../scripts/tiktok-stand-in.mjs';
import { call } from './helpers';

export const OAUTH_COOKIE = '__Host-series_oauth';
export const DEMO_ACCOUNT = ACCOUNTS[0]!; // @seriesdemo
export const LUMEN = ACCOUNTS[1]!; // @lumen.studio, 125,400 followers, verified badge
export const TINY = ACCOUNTS[2]!; // @tinyfilms, 830 followers
export const JO = ACCOUNTS[3]!; // @jo.watches, a viewer

export const standIn = () => (env as Env).TIKTOK_API_ORIGIN!;

export interface Started {
  status: number;
  authorize: URL;
  state: string;
  cookie: string;
  text: string;
}

/** GET /v1/auth/tiktok/start, signed in with `token` (or not): where it sends the browser, and the flow's cookie. */
export async function startFlow(token: string | null, query: Record<string, string> = {}): Promise<Started> {
  const res = await call('GET', `/v1/auth/tiktok/start?${new URLSearchParams(query)}`, { token });
  const location = res.headers.get('Location') ?? 'http://invalid/';
  const authorize = new URL(location);
  const raw = res.headers.getSetCookie().find((c) => c.startsWith(`${OAUTH_COOKIE}=`)) ?? '';
  return {
    status: res.status,
    authorize,
    state: authorize.searchParams.get('state') ?? '',
    cookie: raw.split(';')[0] ?? '',
    text: res.text,
  };
}

/** Posts the stand-in's authorize form as the person would: this account, these optional scopes left ticked. */
export async function authorize(
  started: Started,
  account: { open_id: string } | 'deny',
  granted: string[] = ['user.info.profile', 'user.info.stats', 'video.list'],
) {
  const form = new URLSearchParams();
  for (const k of ['client_key', 'response_type', 'scope', 'redirect_uri', 'state']) {
    const v = started.authorize.searchParams.get(k);
    if (v !== null) form.set(k, v);
  }
  if (account === 'deny') form.set('decision', 'deny');
  else form.set('account', account.open_id);
  for (const s of granted) form.set(`grant:${s}`, 'on');
  const res = await fetch(`${started.authorize.origin}/v2/auth/authorize/`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  if (res.status !== 302) throw new Error(`authorize: ${res.status} ${await res.text()}`);
  return new URL(res.headers.get('Location')!);
}

/** TikTok's redirect back, arriving at our callback with the browser's cookies. */
export async function callback(back: URL | string, opts: { token?: string | null; cookie?: string } = {}) {
  const url = typeof back === 'string' ? new URL(back, 'http://api.test') : back;
  return call('GET', `${url.pathname}${url.search}`, {
    token: opts.token ?? null,
    headers: opts.cookie ? { Cookie: opts.cookie } : {},
  });
}

/** The whole flow: start (signed in with `token` or not), pick `account` at TikTok, come back. */
export async function connect(
  token: string | null,
  account: { open_id: string },
  opts: { intent?: 'signin' | 'creator'; returnTo?: string; granted?: string[] } = {},
) {
  const query: Record<string, string> = { intent: opts.intent ?? 'creator' };
  if (opts.returnTo) query['returnTo'] = opts.returnTo;
  const started = await startFlow(token, query);
  const back = await authorize(started, account, opts.granted);
  return { started, back, res: await callback(back, { token, cookie: started.cookie }) };
}

/** Makes the stand-in fail the next `count` requests to `path`: unreachable (503 HTML) or an error JSON. */
export async function failTikTok(path: string, count = 1, kind: 'down' | 'error' = 'down') {
  await fetch(`${standIn()}/__fail`, {
    method: 'POST',
    body: new URLSearchParams({ path, count: String(count), kind }),
  });
}

/** Renames an account at the stand-in, as TikTok lets its users change their username. */
export async function renameAt(openId: string, username: string) {
  await fetch(`${standIn()}/__rename`, { method: 'POST', body: new URLSearchParams({ open_id: openId, username }) });
}

/** The page's stable code (`data-code` of its alert). */
export const pageCode = (html: string) => /data-code="([^"]+)"/.exec(html)?.[1] ?? null;

let made = 0;
/** A fresh TikTok account at the stand-in, with its own videos (ids unique to it) and username. */
export async function tiktokAccount(
  opts: { username?: string; followers?: number; verified?: boolean; videos?: number } = {},
) {
  const stamp = [Date.now() % 1e9, ++made % 1e3, Math.floor(Math.random() * 1e4)]
    .map((n, i) => String(n).padStart([9, 3, 4][i]!, '0'))
    .join('');
  const videos = Array.from({ length: opts.videos ?? 3 }, (_, i) => `79${stamp}${i}`);
  const res = await fetch(`${standIn()}/__accounts`, {
    method: 'POST',
    body: new URLSearchParams({
      username: opts.username ?? `tt_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`,
      follower_count: String(opts.followers ?? 20_000),
      is_verified: String(opts.verified ?? false),
      videos: videos.join(','),
    }),
  });
  return (await res.json()) as { open_id: string; username: string; follower_count: number; videos: { id: string }[] };
}
