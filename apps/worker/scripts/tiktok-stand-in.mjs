// A local stand-in for TikTok's Login Kit for Web and its v2 API (issue 16), written by us like the Stripe
// stand-in, so that "Connect TikTok" and "Continue with TikTok" run offline: `npm start` runs it on its own port,
// the worker's tests and the browser test start their own. It speaks the documented shapes:
//
//   GET  /v2/auth/authorize/   client_key, response_type=code, scope (comma-separated), redirect_uri, state
//                              → a page where you pick one of the test accounts (or deny), then a redirect to
//                              redirect_uri with code and state (or error and error_description)
//   POST /v2/oauth/token/      form: client_key, client_secret, code, grant_type=authorization_code, redirect_uri
//                              (or grant_type=refresh_token, refresh_token) → access_token, expires_in, open_id,
//                              refresh_token, refresh_expires_in, scope, token_type; errors as
//                              { error, error_description, log_id }
//   GET  /v2/user/info/?fields=…            Bearer → { data: { user }, error: { code: "ok", message, log_id } }
//   POST /v2/video/query/?fields=…          { filters: { video_ids } } (at most 20) → the token user's videos only
//   POST /v2/video/list/?fields=…           { max_count, cursor } → { data: { videos, cursor, has_more }, error }
//
// Test controls (never part of TikTok's API): POST /__fail (form: path, count, kind = "down" | "error") makes the
// next `count` requests to a path fail as an unreachable server (503, not JSON) or with an error JSON;
// POST /__accounts (form: username, display_name, follower_count, is_verified, videos) adds a test account;
// POST /__rename (form: open_id, username) changes an account's username as the site lets its users do;
// GET /__requests lists what the worker sent (tokens redacted).
//
//   node scripts/tiktok-stand-in.mjs [port]     (default 8788, or TIKTOK_STAND_IN_PORT)
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export const STAND_IN_CLIENT_KEY = 'sandbox-series-client-key';
export const STAND_IN_CLIENT_SECRET = 'sandbox-series-client-secret';

const video = (id, title, duration, day) => ({
  id,
  title,
  duration,
  create_time: Math.floor(Date.UTC(2026, 9, day) / 1000),
});

/** The test accounts the authorize page offers. The demo creator (`seriesdemo`) owns the demo series' videos. */
export const ACCOUNTS = [
  {
    open_id: '-000demoSeriesOpenId0000000000001',
    union_id: 'union-demo-0001',
    username: 'seriesdemo',
    display_name: 'Series Demo',
    follower_count: 48200,
    following_count: 120,
    likes_count: 912000,
    is_verified: false,
    bio_description: 'Mysteries in five parts.',
    videos: [
      video('7300000000000000001', 'The Lighthouse Keeper — 1. The Light Goes Out', 95, 1),
      video('7300000000000000002', 'The Lighthouse Keeper — 2. Footprints in the Salt', 540, 3),
      video('7300000000000000003', 'The Lighthouse Keeper — 3. The Keeper’s Log', 610, 5),
      video('7300000000000000004', 'The Lighthouse Keeper — 4. Low Tide', 720, 7),
      video('7300000000000000005', 'The Lighthouse Keeper — 5. Dawn', 1180, 9),
      video('7300000000000000006', 'Behind the scenes on the island', 48, 11),
      video('7300000000000000007', 'Storm footage, uncut', 130, 13),
    ],
  },
  {
    open_id: '-000lumenStudioOpenId00000000002',
    union_id: 'union-lumen-0002',
    username: 'lumen.studio',
    display_name: 'Lumen Studio',
    follower_count: 125400,
    following_count: 80,
    likes_count: 3400000,
    is_verified: true,
    bio_description: 'Short films every Friday.',
    videos: [
      video('7311000000000000001', 'Night Shift — pilot', 300, 2),
      video('7311000000000000002', 'Night Shift — 2', 320, 9),
      video('7311000000000000003', 'Night Shift — 3', 305, 16),
    ],
  },
  {
    open_id: '-000tinyFilmsOpenId000000000003',
    union_id: 'union-tiny-0003',
    username: 'tinyfilms',
    display_name: 'Tiny Films',
    follower_count: 830,
    following_count: 410,
    likes_count: 5200,
    is_verified: false,
    bio_description: '',
    videos: [video('7322000000000000001', 'My first short', 60, 20)],
  },
  {
    open_id: '-000joWatchesOpenId000000000004',
    union_id: 'union-jo-0004',
    username: 'jo.watches',
    display_name: 'Jo',
    follower_count: 12,
    following_count: 300,
    likes_count: 40,
    is_verified: false,
    bio_description: '',
    videos: [],
  },
];

const SCOPES = ['user.info.basic', 'user.info.profile', 'user.info.stats', 'video.list'];
/** Which scope each user field needs (TikTok's documentation, "User info": fields and scopes). */
const FIELD_SCOPE = {
  open_id: 'user.info.basic',
  union_id: 'user.info.basic',
  avatar_url: 'user.info.basic',
  avatar_url_100: 'user.info.basic',
  avatar_large_url: 'user.info.basic',
  display_name: 'user.info.basic',
  bio_description: 'user.info.profile',
  profile_deep_link: 'user.info.profile',
  is_verified: 'user.info.profile',
  username: 'user.info.profile',
  follower_count: 'user.info.stats',
  following_count: 'user.info.stats',
  likes_count: 'user.info.stats',
  video_count: 'user.info.stats',
};
const VIDEO_FIELDS = ['id', 'title', 'duration', 'cover_image_url', 'share_url', 'create_time', 'embed_link'];

const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/**
 * Starts the stand-in. Registered redirect URIs: any loopback origin's `/v1/auth/tiktok/callback` (exact, no
 * query string), as each local worker runs on its own port, and those in `redirectUris`. `unref`: the stand-in
 * does not keep its process alive (for test runners).
 */
export function startTikTokStandIn({ port = 0, host = '127.0.0.1', redirectUris = [], unref = false } = {}) {
  const accounts = structuredClone(ACCOUNTS);
  const codes = new Map(); // code → { open_id, scope, redirect_uri, expires, used }
  const access = new Map(); // access token → { open_id, scope, expires }
  const refresh = new Map(); // refresh token → { open_id, scope, expires }
  const failing = new Map(); // path → { count, kind }
  const requests = [];
  let logs = 0;
  const logId = () => `2026120100000000${String(++logs).padStart(6, '0')}STANDIN`;
  const token = (prefix) => `${prefix}.${randomBytes(24).toString('base64url')}`;
  let origin = '';

  const registered = (uri) => {
    if (redirectUris.includes(uri)) return true;
    try {
      const u = new URL(uri);
      return (
        ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) &&
        u.pathname === '/v1/auth/tiktok/callback' &&
        !u.search &&
        !u.hash &&
        uri === `${u.origin}${u.pathname}`
      );
    } catch {
      return false;
    }
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const type = req.headers['content-type'] ?? '';
    const form = type.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const html = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>TikTok (local stand-in)</title><style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
button{display:block;width:100%;text-align:left;padding:.75rem;margin:.5rem 0;font:inherit;border:1px solid #bbb;border-radius:.5rem;background:#fff;cursor:pointer}
.deny{text-align:center;color:#a00}fieldset{border:1px solid #ddd;border-radius:.5rem}small{color:#555}</style></head><body>${body}</body></html>`);
    };

    if (url.pathname === '/__requests') return send(200, requests);
    if (url.pathname === '/__fail' && req.method === 'POST') {
      failing.set(form.path ?? '', { count: Number(form.count ?? 1), kind: form.kind === 'error' ? 'error' : 'down' });
      return send(200, {});
    }
    if (url.pathname === '/__accounts' && req.method === 'POST') {
      // A fresh test account (tests make their own, so none depends on another's).
      const n = accounts.length + 1;
      const account = {
        open_id: `-000test${randomBytes(12).toString('hex')}`,
        union_id: `union-test-${n}`,
        username: form.username ?? `test.account${n}`,
        display_name: form.display_name ?? `Test account ${n}`,
        follower_count: Number(form.follower_count ?? 0),
        following_count: 0,
        likes_count: 0,
        is_verified: form.is_verified === 'true',
        bio_description: '',
        videos: (form.videos ? form.videos.split(',') : []).map((id, i) =>
          video(id, `Video ${i + 1}`, 30 + i, 1 + (i % 28)),
        ),
      };
      accounts.push(account);
      return send(200, account);
    }
    if (url.pathname === '/__rename' && req.method === 'POST') {
      const account = accounts.find((a) => a.open_id === form.open_id);
      if (account && form.username) account.username = form.username;
      return send(200, account ? { open_id: account.open_id, username: account.username } : null);
    }
    if (url.pathname.startsWith('/v2/') && !url.pathname.startsWith('/v2/auth/')) {
      const redacted = { ...form };
      for (const k of ['code', 'client_secret', 'refresh_token']) if (redacted[k]) redacted[k] = '[redacted]';
      requests.push({
        method: req.method,
        path: url.pathname,
        query: url.search,
        form: redacted,
        body: form.code ? '' : raw.slice(0, 500),
      });
    }
    const failure = failing.get(url.pathname);
    if (failure && failure.count > 0) {
      failure.count--;
      if (failure.kind === 'down') {
        res.writeHead(503, { 'Content-Type': 'text/html' });
        return res.end('<html><body>503 Service Temporarily Unavailable</body></html>');
      }
      if (url.pathname === '/v2/oauth/token/') {
        return send(500, { error: 'server_error', error_description: 'Internal error (stand-in).', log_id: logId() });
      }
      return send(500, {
        data: {},
        error: { code: 'internal_error', message: 'Internal error (stand-in).', log_id: logId() },
      });
    }

    // Login Kit: the authorize page.
    if (url.pathname === '/v2/auth/authorize/') {
      const p = req.method === 'POST' ? form : Object.fromEntries(url.searchParams);
      const problem =
        p.client_key !== STAND_IN_CLIENT_KEY
          ? 'client_key is not a registered app (expected the stand-in’s key).'
          : p.response_type !== 'code'
            ? 'response_type must be "code".'
            : !registered(p.redirect_uri ?? '')
              ? `redirect_uri ${p.redirect_uri ?? '(none)'} is not registered.`
              : !p.scope
                ? 'scope is missing.'
                : null;
      if (problem) return html(400, `<h1>Something went wrong</h1><p>${esc(problem)}</p>`);
      const asked = p.scope
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const back = new URL(p.redirect_uri);
      if (req.method === 'POST') {
        if (p.decision === 'deny') {
          back.searchParams.set('error', 'access_denied');
          back.searchParams.set('error_description', 'The user denied the authorization request.');
        } else {
          const account = accounts.find((a) => a.open_id === p.account);
          if (!account) return html(400, '<h1>Pick an account</h1>');
          // The scopes the person left ticked (a real consent screen lets them untick optional ones).
          const granted = asked.filter((s) => s === 'user.info.basic' || p[`grant:${s}`] === 'on');
          const code = token('code');
          codes.set(code, {
            open_id: account.open_id,
            scope: granted.join(','),
            redirect_uri: p.redirect_uri,
            expires: Date.now() + 5 * 60_000,
            used: false,
          });
          back.searchParams.set('code', code);
          back.searchParams.set('scopes', granted.join(','));
        }
        if (p.state) back.searchParams.set('state', p.state);
        res.writeHead(302, { Location: back.toString() });
        return res.end();
      }
      const hidden = ['client_key', 'response_type', 'scope', 'redirect_uri', 'state']
        .filter((k) => p[k] !== undefined)
        .map((k) => `<input type="hidden" name="${k}" value="${esc(p[k])}">`)
        .join('');
      const scopes = asked
        .map((s) =>
          s === 'user.info.basic'
            ? `<li>${esc(s)} (required)</li>`
            : `<li><label><input type="checkbox" name="grant:${esc(s)}" checked> ${esc(s)}</label></li>`,
        )
        .join('');
      const choices = accounts
        .map(
          (a) =>
            `<button name="account" value="${esc(a.open_id)}">@${esc(a.username)} — ${esc(a.display_name)}<br>` +
            `<small>${a.follower_count.toLocaleString('en-US')} followers · ${a.videos.length} videos${a.is_verified ? ' · verified' : ''}</small></button>`,
        )
        .join('');
      return html(
        200,
        `<h1>TikTok (local stand-in)</h1><p>An app asks to use your TikTok account. Continue as:</p>
<form method="post" action="/v2/auth/authorize/">${hidden}
<fieldset><legend>Access it asks for</legend><ul>${scopes}</ul></fieldset>
${choices}<button class="deny" name="decision" value="deny">Cancel</button></form>`,
      );
    }

    // The token endpoint.
    if (url.pathname === '/v2/oauth/token/' && req.method === 'POST') {
      const fail = (error, description) => send(400, { error, error_description: description, log_id: logId() });
      if (!type.includes('application/x-www-form-urlencoded')) {
        return fail('invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
      }
      if (form.client_key !== STAND_IN_CLIENT_KEY || form.client_secret !== STAND_IN_CLIENT_SECRET) {
        return fail('invalid_client', 'Client key or secret is incorrect.');
      }
      let grant;
      if (form.grant_type === 'authorization_code') {
        const found = codes.get(form.code ?? '');
        if (!found) return fail('invalid_grant', 'Authorization code is invalid.');
        if (found.used || found.expires < Date.now()) {
          return fail('invalid_grant', 'Authorization code is expired or was already used.');
        }
        if (found.redirect_uri !== form.redirect_uri) return fail('invalid_grant', 'redirect_uri does not match.');
        found.used = true;
        grant = { open_id: found.open_id, scope: found.scope };
      } else if (form.grant_type === 'refresh_token') {
        const found = refresh.get(form.refresh_token ?? '');
        if (!found || found.expires < Date.now()) return fail('invalid_grant', 'Refresh token is invalid or expired.');
        grant = { open_id: found.open_id, scope: found.scope };
      } else {
        return fail('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
      }
      const accessToken = token('act');
      access.set(accessToken, { ...grant, expires: Date.now() + 86_400_000 });
      let refreshToken = form.grant_type === 'refresh_token' ? form.refresh_token : token('rft');
      if (form.grant_type !== 'refresh_token') {
        refresh.set(refreshToken, { ...grant, expires: Date.now() + 31_536_000_000 });
      }
      return send(200, {
        access_token: accessToken,
        expires_in: 86400,
        open_id: grant.open_id,
        refresh_expires_in: 31536000,
        refresh_token: refreshToken,
        scope: grant.scope,
        token_type: 'Bearer',
      });
    }

    // The v2 API: a Bearer access token and the `error` envelope.
    const apiError = (status, code, message) => send(status, { data: {}, error: { code, message, log_id: logId() } });
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = bearer ? access.get(bearer) : undefined;
    const account = grant && accounts.find((a) => a.open_id === grant.open_id);
    const ok = (data) => send(200, { data, error: { code: 'ok', message: '', log_id: logId() } });
    const needs = (scope) => grant.scope.split(',').includes(scope);
    const known = ['/v2/user/info/', '/v2/video/query/', '/v2/video/list/'];
    if (!known.includes(url.pathname))
      return apiError(404, 'invalid_params', `No endpoint ${req.method} ${url.pathname}`);
    if (!grant || !account || grant.expires < Date.now()) {
      return apiError(401, 'access_token_invalid', 'The access token is invalid or not found in the request.');
    }
    const fields = (url.searchParams.get('fields') ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);

    if (url.pathname === '/v2/user/info/' && req.method === 'GET') {
      if (!fields.length) return apiError(400, 'invalid_params', 'fields is required.');
      const unknown = fields.find((f) => !(f in FIELD_SCOPE));
      if (unknown) return apiError(400, 'invalid_params', `Unknown field ${unknown}.`);
      if (fields.some((f) => !needs(FIELD_SCOPE[f]))) {
        return apiError(
          401,
          'scope_not_authorized',
          'The user did not authorize the scope required for completing this request.',
        );
      }
      const all = {
        ...account,
        avatar_url: `${origin}/avatars/${account.username}.png`,
        avatar_url_100: `${origin}/avatars/${account.username}.png`,
        avatar_large_url: `${origin}/avatars/${account.username}.png`,
        profile_deep_link: `https://www.tiktok.com/@${account.username}`,
        video_count: account.videos.length,
      };
      return ok({ user: Object.fromEntries(fields.map((f) => [f, all[f]])) });
    }
    if ((url.pathname === '/v2/video/query/' || url.pathname === '/v2/video/list/') && req.method === 'POST') {
      if (!needs('video.list')) {
        return apiError(
          401,
          'scope_not_authorized',
          'The user did not authorize the scope required for completing this request.',
        );
      }
      let body;
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        return apiError(400, 'invalid_params', 'The request body is not valid JSON.');
      }
      const unknown = fields.find((f) => !VIDEO_FIELDS.includes(f));
      if (!fields.length || unknown)
        return apiError(400, 'invalid_params', `fields is required${unknown ? `; unknown ${unknown}` : ''}.`);
      const shape = (v) =>
        Object.fromEntries(
          fields.map((f) => [
            f,
            f === 'share_url'
              ? `https://www.tiktok.com/@${account.username}/video/${v.id}`
              : f === 'embed_link'
                ? `https://www.tiktok.com/embed/v2/${v.id}`
                : f === 'cover_image_url'
                  ? `${origin}/covers/${v.id}.jpg`
                  : v[f],
          ]),
        );
      if (url.pathname === '/v2/video/query/') {
        const ids = body?.filters?.video_ids;
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20 || ids.some((id) => typeof id !== 'string')) {
          return apiError(400, 'invalid_params', 'filters.video_ids must hold 1 to 20 video ids.');
        }
        return ok({ videos: account.videos.filter((v) => ids.includes(v.id)).map(shape), cursor: 0, has_more: false });
      }
      const max = Math.min(Math.max(Number(body?.max_count ?? 10), 1), 20);
      // Newest first; the cursor is the create_time (as a UTC Unix time in milliseconds) to continue before.
      const sorted = [...account.videos].sort((a, b) => b.create_time - a.create_time);
      const cursor = Number(body?.cursor ?? 0);
      const rest = cursor ? sorted.filter((v) => v.create_time * 1000 < cursor) : sorted;
      const page = rest.slice(0, max);
      const last = page.at(-1);
      return ok({
        videos: page.map(shape),
        cursor: last ? last.create_time * 1000 : cursor,
        has_more: rest.length > page.length,
      });
    }
    return apiError(405, 'invalid_params', `Method ${req.method} not allowed.`);
  });

  // unref: a test runner's process may exit while the stand-in still listens (and holds keep-alive connections).
  if (unref) {
    server.unref();
    server.on('connection', (socket) => socket.unref());
  }
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      origin = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
      resolve({
        url: origin,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? process.env.TIKTOK_STAND_IN_PORT ?? 8788);
  const { url } = await startTikTokStandIn({ port, host: '127.0.0.1' });
  console.log(`TikTok stand-in (Login Kit + v2 API) on ${url}`);
}
