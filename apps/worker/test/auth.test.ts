import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  admin,
  ADMIN_EMAIL,
  call,
  creator,
  expectError,
  expectInvalid,
  ORIGIN,
  PASSWORD,
  signup,
  uniqueEmail,
  uniqueHandle,
} from './helpers';

const COOKIE = '__Host-series_session';
const DASHBOARD = 'http://localhost:5173';
const EVIL = 'https://evil.example';

const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;

/** The session cookie set by a response, parsed into its value and attributes. */
function sessionCookie(headers: Headers) {
  const raw = headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  if (!raw) return null;
  const [pair, ...attrs] = raw.split(';').map((p) => p.trim());
  const value = decodeURIComponent(pair!.slice(COOKIE.length + 1));
  const attributes = new Map(
    attrs.map((a) => {
      const i = a.indexOf('=');
      return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
    }),
  );
  return { raw, value, attributes };
}

const cookieHeader = (token: string) => ({ Cookie: `${COOKIE}=${token}` });

async function login(email: string, password = PASSWORD) {
  return call('POST', '/v1/auth/login', { body: { email, password } });
}

async function me(token: string | null, headers: Record<string, string> = {}) {
  return call('GET', '/v1/me', { token, headers });
}

/** Proves that no account exists for `email`: signing in with it fails as for an unknown email. */
async function expectNoAccount(email: string) {
  expectError(await login(email), 401, 'invalid_credentials');
}

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('POST /v1/auth/signup', () => {
  it('creates an account and returns the user, a bearer token and a session cookie', async () => {
    const email = uniqueEmail('signup');
    const res = await call('POST', '/v1/auth/signup', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      user: { id: expect.stringMatching(/^usr_/), email, createdAt: expect.any(String), isAdmin: false },
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
    });
    expect(Date.parse(res.json.user.createdAt)).not.toBeNaN();
    // A session lasts a while (days), not forever.
    const ttl = Date.parse(res.json.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(24 * 60 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(366 * 24 * 60 * 60 * 1000);
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toMatch(/pbkdf2|password/i);

    const cookie = sessionCookie(res.headers);
    expect(cookie?.value).toBe(res.json.token);
    expect(cookie?.attributes.has('httponly')).toBe(true);

    const who = await me(res.json.token);
    expect(who.status).toBe(200);
    expect(who.json).toEqual({ user: res.json.user, creator: null });
  });

  it('stores the email lower-cased and trimmed, and signs in with any casing', async () => {
    const email = uniqueEmail('MiXeD');
    const res = await call('POST', '/v1/auth/signup', { body: { email: `  ${email.toUpperCase()} `, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.json.user.email).toBe(email.toLowerCase());

    const again = await login(email.toLowerCase());
    expect(again.status).toBe(200);
    expect(again.json.user.id).toBe(res.json.user.id);
    const shouty = await login(email.toUpperCase());
    expect(shouty.status).toBe(200);
    expect(shouty.json.user.id).toBe(res.json.user.id);
  });

  it('answers 409 email_taken for a duplicate, whatever the casing, and keeps the first password', async () => {
    const email = uniqueEmail('dup');
    const first = await signup(email);
    for (const variant of [email, email.toUpperCase(), ` ${email} `]) {
      const dup = await call('POST', '/v1/auth/signup', { body: { email: variant, password: 'another password 123' } });
      expectError(dup, 409, 'email_taken');
      expect(dup.json.token).toBeUndefined();
      expect(sessionCookie(dup.headers)).toBeNull();
    }
    // The original account and password are untouched.
    const ok = await login(email);
    expect(ok.status).toBe(200);
    expect(ok.json.user.id).toBe(first.user.id);
    expectError(await login(email, 'another password 123'), 401, 'invalid_credentials');
  });

  it('lets exactly one of several concurrent signups with one email through', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call('POST', '/v1/auth/signup', { body: { email: i % 2 ? email.toUpperCase() : email, password: `${PASSWORD} ${i}` } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expectError(r, 409, 'email_taken');
    const { count } = (await env.DB.prepare('SELECT COUNT(*) AS count FROM users WHERE email = ?')
      .bind(email.toLowerCase())
      .first<{ count: number }>())!;
    expect(count).toBe(1);
  });

  it('hashes passwords with PBKDF2-SHA256 and a per-user salt, and stores only a hash of the session token', async () => {
    const a = await signup();
    const b = await signup();
    const rows = await env.DB.prepare('SELECT id, password_hash FROM users WHERE id IN (?, ?)')
      .bind(a.user.id, b.user.id)
      .all<{ id: string; password_hash: string }>();
    expect(rows.results).toHaveLength(2);
    const [ha, hb] = rows.results.map((r) => r.password_hash);
    for (const h of [ha!, hb!]) {
      expect(h).toMatch(/^pbkdf2-sha256\$(\d+)\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(Number(h.split('$')[1])).toBeGreaterThanOrEqual(100_000);
      expect(h).not.toContain(PASSWORD);
    }
    // Same password, different salt and hash.
    expect(ha!.split('$')[2]).not.toBe(hb!.split('$')[2]);
    expect(ha).not.toBe(hb);

    const sessions = await env.DB.prepare('SELECT * FROM sessions WHERE user_id = ?').bind(a.user.id).all();
    expect(sessions.results).toHaveLength(1);
    const stored = JSON.stringify(sessions.results);
    expect(stored).not.toContain(a.token);
    expect(sessions.results[0]!.token_hash).toBe(await sha256Hex(a.token));
  });

  describe('refuses bad input with 400 and creates no account', () => {
    const cases: Array<[string, (email: string) => unknown]> = [
      ['missing password', (email) => ({ email })],
      ['missing email', () => ({ password: PASSWORD })],
      ['empty object', () => ({})],
      ['email of the wrong type', () => ({ email: 12345, password: PASSWORD })],
      ['password of the wrong type', (email) => ({ email, password: 1234567890123 })],
      ['password null', (email) => ({ email, password: null })],
      ['not an email', () => ({ email: 'not-an-email', password: PASSWORD })],
      ['password shorter than 10', (email) => ({ email, password: 'short' })],
      ['password longer than 200', (email) => ({ email, password: 'x'.repeat(201) })],
      ['email longer than 254', () => ({ email: `${'a'.repeat(250)}@example.test`, password: PASSWORD })],
      ['unknown key', (email) => ({ email, password: PASSWORD, isAdmin: true })],
      ['an array', () => [PASSWORD]],
      ['null', () => null],
    ];
    for (const [label, body] of cases) {
      it(label, async () => {
        const email = uniqueEmail('bad');
        const res = await call('POST', '/v1/auth/signup', { body: body(email) });
        expectInvalid(res);
        expect(sessionCookie(res.headers)).toBeNull();
        await expectNoAccount(email);
      });
    }

    it('names the offending field in issues', async () => {
      const res = await call('POST', '/v1/auth/signup', { body: { email: uniqueEmail(), password: 'short' } });
      expectInvalid(res);
      expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain('password');
    });

    it('malformed JSON answers 400 invalid_json', async () => {
      const email = uniqueEmail('badjson');
      const res = await call('POST', '/v1/auth/signup', {
        raw: `{"email":"${email}","password":"${PASSWORD}"`,
        headers: { 'Content-Type': 'application/json' },
      });
      expectInvalid(res, 'invalid_json');
      await expectNoAccount(email);
    });

    it('a JSON body sent as text/plain is not accepted', async () => {
      const email = uniqueEmail('textplain');
      const res = await call('POST', '/v1/auth/signup', {
        raw: JSON.stringify({ email, password: PASSWORD }),
        headers: { 'Content-Type': 'text/plain' },
      });
      expectError(res, 415, 'unsupported_media_type');
      await expectNoAccount(email);
    });

    it('a form-encoded body is not accepted', async () => {
      const email = uniqueEmail('form');
      const res = await call('POST', '/v1/auth/signup', {
        raw: new URLSearchParams({ email, password: PASSWORD }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expectError(res, 415, 'unsupported_media_type');
      await expectNoAccount(email);
    });

    it('a body over the size limit answers 413 payload_too_large', async () => {
      const email = uniqueEmail('huge');
      const res = await call('POST', '/v1/auth/signup', { body: { email, password: PASSWORD, pad: 'x'.repeat(70 * 1024) } });
      expectError(res, 413, 'payload_too_large');
      await expectNoAccount(email);
    });
  });
});

describe('POST /v1/auth/login', () => {
  it('returns the user and a fresh token, and sets an HttpOnly SameSite cookie', async () => {
    const account = await signup();
    const res = await login(account.email);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      user: { id: account.user.id, email: account.email, createdAt: expect.any(String), isAdmin: false },
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
    });
    expect(res.json.token).not.toBe(account.token);

    const cookie = sessionCookie(res.headers)!;
    expect(cookie).not.toBeNull();
    expect(cookie.value).toBe(res.json.token);
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')?.toLowerCase()).toMatch(/^(lax|strict)$/);
    expect(cookie.attributes.get('path')).toBe('/');
    expect(Number(cookie.attributes.get('max-age'))).toBeGreaterThan(0);

    // Both the old and the new token work.
    expect((await me(account.token)).status).toBe(200);
    expect((await me(res.json.token)).json.user.id).toBe(account.user.id);
  });

  it('marks the cookie Secure when served over https', async () => {
    const account = await signup();
    const res = await worker.fetch(
      new Request('https://api.example/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: account.email, password: PASSWORD }),
      }),
    );
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res.headers)!;
    expect(cookie.attributes.has('secure')).toBe(true);
    expect(cookie.attributes.has('httponly')).toBe(true);
  });

  it('is a __Host- cookie: Secure, path /, no Domain, HttpOnly, SameSite=Lax, even on plain-http localhost', async () => {
    const account = await signup();
    const res = await call('POST', '/v1/auth/login', { body: { email: account.email, password: PASSWORD } });
    const raw = res.headers.get('Set-Cookie')!;
    expect(raw.startsWith('__Host-series_session=')).toBe(true);
    expect(raw).toMatch(/; Secure/i);
    expect(raw).toMatch(/; HttpOnly/i);
    expect(raw).toMatch(/; SameSite=Lax/i);
    expect(raw).toMatch(/; Path=\//i);
    expect(raw).not.toMatch(/Domain=/i);
  });

  it('authenticates GET /v1/me with the cookie alone', async () => {
    const account = await signup();
    const res = await login(account.email);
    const cookie = sessionCookie(res.headers)!;
    const who = await me(null, { Cookie: `${COOKIE}=${cookie.value}` });
    expect(who.status).toBe(200);
    expect(who.json.user).toMatchObject({ id: account.user.id, email: account.email });
    // A made-up cookie does not.
    const forged = await me(null, cookieHeader('A'.repeat(43)));
    expectError(forged, 401, 'unauthorized');
  });

  it('answers 401 invalid_credentials for a wrong password and for an unknown email, indistinguishably', async () => {
    const account = await signup();
    const wrong = await login(account.email, 'wrong password 123');
    const unknown = await login(uniqueEmail('nobody'));
    expectError(wrong, 401, 'invalid_credentials');
    expectError(unknown, 401, 'invalid_credentials');
    expect(wrong.json).toEqual(unknown.json);
    for (const res of [wrong, unknown]) {
      expect(res.json.token).toBeUndefined();
      expect(sessionCookie(res.headers)).toBeNull();
    }
    // A password differing only in case is wrong too.
    expectError(await login(account.email, PASSWORD.toUpperCase()), 401, 'invalid_credentials');
    // No session was created for the failed attempts.
    const { count } = (await env.DB.prepare('SELECT COUNT(*) AS count FROM sessions WHERE user_id = ?')
      .bind(account.user.id)
      .first<{ count: number }>())!;
    expect(count).toBe(1);
  });

  it('flags admins (ADMIN_EMAILS), whatever casing they sign in with', async () => {
    await admin();
    const res = await login(ADMIN_EMAIL.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ email: ADMIN_EMAIL, isAdmin: true });
    expect((await me(res.json.token)).json.user.isAdmin).toBe(true);
  });

  describe('refuses bad input with 400 and no session', () => {
    const cases: Array<[string, (email: string) => unknown]> = [
      ['missing password', (email) => ({ email })],
      ['missing email', () => ({ password: PASSWORD })],
      ['empty password', (email) => ({ email, password: '' })],
      ['password of the wrong type', (email) => ({ email, password: 42 })],
      ['email of the wrong type', () => ({ email: ['a@b.test'], password: PASSWORD })],
      ['not an email', () => ({ email: 'nope', password: PASSWORD })],
      ['password longer than 200', (email) => ({ email, password: 'y'.repeat(201) })],
      ['unknown key', (email) => ({ email, password: PASSWORD, remember: true })],
    ];
    for (const [label, body] of cases) {
      it(label, async () => {
        const account = await signup();
        const res = await call('POST', '/v1/auth/login', { body: body(account.email) });
        expectInvalid(res);
        expect(sessionCookie(res.headers)).toBeNull();
        const { count } = (await env.DB.prepare('SELECT COUNT(*) AS count FROM sessions WHERE user_id = ?')
          .bind(account.user.id)
          .first<{ count: number }>())!;
        expect(count).toBe(1);
      });
    }

    it('malformed JSON answers 400 invalid_json', async () => {
      const account = await signup();
      const res = await call('POST', '/v1/auth/login', { raw: '{"email":', headers: { 'Content-Type': 'application/json' } });
      expectInvalid(res, 'invalid_json');
      expect(sessionCookie(res.headers)).toBeNull();
      void account;
    });

    it('wrong content-type answers 415', async () => {
      const account = await signup();
      const res = await call('POST', '/v1/auth/login', {
        raw: JSON.stringify({ email: account.email, password: PASSWORD }),
        headers: { 'Content-Type': 'text/plain' },
      });
      expectError(res, 415, 'unsupported_media_type');
      expect(sessionCookie(res.headers)).toBeNull();
    });
  });
});

describe('POST /v1/auth/logout', () => {
  it('revokes the bearer token: GET /v1/me then answers 401', async () => {
    const account = await signup();
    expect((await me(account.token)).status).toBe(200);
    const out = await call('POST', '/v1/auth/logout', { token: account.token });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true });
    expectError(await me(account.token), 401, 'unauthorized');
    // The token cannot be revived by presenting it as a cookie either.
    expectError(await me(null, cookieHeader(account.token)), 401, 'unauthorized');
    // The account itself still works.
    expect((await login(account.email)).status).toBe(200);
  });

  it('revokes a cookie session and clears the cookie', async () => {
    const account = await signup();
    const session = await login(account.email);
    const token = sessionCookie(session.headers)!.value;
    const out = await call('POST', '/v1/auth/logout', { headers: { ...cookieHeader(token), Origin: DASHBOARD } });
    expect(out.status).toBe(200);
    const cleared = sessionCookie(out.headers);
    expect(cleared).not.toBeNull();
    expect(cleared!.value).toBe('');
    expect(Number(cleared!.attributes.get('max-age') ?? '0')).toBeLessThanOrEqual(0);
    expectError(await me(null, cookieHeader(token)), 401, 'unauthorized');
    // Other sessions of the account are not this logout's business.
    expect((await me(account.token)).status).toBe(200);
  });

  it('is harmless without a session', async () => {
    const out = await call('POST', '/v1/auth/logout');
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true });
    const bogus = await call('POST', '/v1/auth/logout', { token: 'not-a-real-token' });
    expect(bogus.status).toBe(200);
  });

  it('refuses a cookie logout from a foreign origin (csrf_rejected) and keeps the session', async () => {
    const account = await signup();
    const out = await call('POST', '/v1/auth/logout', { headers: { ...cookieHeader(account.token), Origin: EVIL } });
    expectError(out, 403, 'csrf_rejected');
    expect((await me(account.token)).status).toBe(200);
  });
});

describe('GET /v1/me', () => {
  it('answers 401 unauthorized without a session or with a bad token', async () => {
    expectError(await me(null), 401, 'unauthorized');
    expectError(await me('garbage'), 401, 'unauthorized');
    expectError(await me('A'.repeat(43)), 401, 'unauthorized');
    expectError(await me(null, { Authorization: 'Basic dXNlcjpwYXNz' }), 401, 'unauthorized');
  });

  it('answers 401 once the session has expired', async () => {
    const account = await signup();
    expect((await me(account.token)).status).toBe(200);
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?')
      .bind(Date.now() - 1000, await sha256Hex(account.token))
      .run();
    expectError(await me(account.token), 401, 'unauthorized');
  });

  it('shows a viewer with no creator profile', async () => {
    const viewer = await signup();
    const res = await me(viewer.token);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      user: { id: viewer.user.id, email: viewer.email, createdAt: expect.any(String), isAdmin: false },
      creator: null,
    });
    expect(res.text).not.toMatch(/password|pbkdf2/i);
  });

  it('shows a pending, approved or suspended creator their own status', async () => {
    for (const status of ['pending', 'approved', 'suspended'] as const) {
      const c = await creator(status);
      const res = await me(c.token);
      expect(res.status).toBe(200);
      expect(res.json.user.isAdmin).toBe(false);
      expect(res.json.creator).toMatchObject({ handle: c.handle, displayName: 'Demo Creator', status });
      expect(res.json.creator.statusMeaning).toEqual(expect.any(String));
    }
  });

  it('shows the admin flag to an admin', async () => {
    const res = await me(await admin());
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ email: ADMIN_EMAIL, isAdmin: true });
  });
});

describe('session cookies and cross-site requests', () => {
  it('refuses a cookie-authenticated POST with a foreign Origin, and writes nothing', async () => {
    const account = await signup();
    const handle = uniqueHandle('csrf');
    const res = await call('POST', '/v1/creators', {
      body: { handle, displayName: 'Victim' },
      headers: { ...cookieHeader(account.token), Origin: EVIL },
    });
    expectError(res, 403, 'csrf_rejected');
    expect((await me(account.token)).json.creator).toBeNull();
  });

  it('refuses a cookie-authenticated POST marked cross-site without an Origin', async () => {
    const account = await signup();
    const res = await call('POST', '/v1/creators', {
      body: { handle: uniqueHandle('csrf'), displayName: 'Victim' },
      headers: { ...cookieHeader(account.token), 'Sec-Fetch-Site': 'cross-site' },
    });
    expectError(res, 403, 'csrf_rejected');
    expect((await me(account.token)).json.creator).toBeNull();
  });

  it('refuses the literal "null" Origin of sandboxed pages', async () => {
    const account = await signup();
    const res = await call('POST', '/v1/creators', {
      body: { handle: uniqueHandle('csrf'), displayName: 'Victim' },
      headers: { ...cookieHeader(account.token), Origin: 'null' },
    });
    expectError(res, 403, 'csrf_rejected');
    expect((await me(account.token)).json.creator).toBeNull();
  });

  it('accepts a cookie-authenticated POST from the dashboard origin', async () => {
    const account = await signup();
    const session = sessionCookie((await login(account.email)).headers)!;
    const handle = uniqueHandle('dash');
    const res = await call('POST', '/v1/creators', {
      body: { handle, displayName: 'From the dashboard' },
      headers: { Cookie: `${COOKIE}=${session.value}`, Origin: DASHBOARD },
    });
    expect(res.status).toBe(201);
    expect((await me(account.token)).json.creator).toMatchObject({ handle, status: 'pending' });
  });

  it('accepts a cookie-authenticated POST from the API origin itself', async () => {
    const account = await signup();
    const res = await call('POST', '/v1/creators', {
      body: { handle: uniqueHandle('same'), displayName: 'Same origin' },
      headers: { ...cookieHeader(account.token), Origin: ORIGIN },
    });
    expect(res.status).toBe(201);
  });

  it('accepts a bearer-authenticated POST whatever the Origin (tokens are not ambient)', async () => {
    const account = await signup();
    const res = await call('POST', '/v1/creators', {
      token: account.token,
      body: { handle: uniqueHandle('bearer'), displayName: 'Extension' },
      headers: { Origin: 'chrome-extension://abcdefghijklmnop' },
    });
    expect(res.status).toBe(201);
  });

  it('answers CORS preflights with credentials for the dashboard only', async () => {
    const preflight = (origin: string) =>
      call('OPTIONS', '/v1/me', {
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
    const ok = await preflight(DASHBOARD);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe(DASHBOARD);
    expect(ok.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    const evil = await preflight(EVIL);
    expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
