import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, ADMIN_EMAIL, call, expectError, expectInvalid, PASSWORD, signup, uniqueEmail } from './helpers';
import { COOKIE, worker, sessionCookie, cookieHeader, login, me, expectNoAccount, sha256Hex } from './auth-helpers';

describe('POST /v1/auth/signup', () => {
  it('creates an account and returns the user, a bearer token and a session cookie', async () => {
    const email = uniqueEmail('signup');
    const res = await call('POST', '/v1/auth/signup', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      user: {
        id: expect.stringMatching(/^usr_/),
        email,
        createdAt: expect.any(String),
        isAdmin: false,
        emailVerified: false,
      },
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
    expect(who.json).toEqual({ user: res.json.user, creator: null, endedClaim: null });
  });

  it('stores the email lower-cased and trimmed, and signs in with any casing', async () => {
    const email = uniqueEmail('MiXeD');
    const res = await call('POST', '/v1/auth/signup', {
      body: { email: `  ${email.toUpperCase()} `, password: PASSWORD },
    });
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
        call('POST', '/v1/auth/signup', {
          body: { email: i % 2 ? email.toUpperCase() : email, password: `${PASSWORD} ${i}` },
        }),
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
      const res = await call('POST', '/v1/auth/signup', {
        body: { email, password: PASSWORD, pad: 'x'.repeat(70 * 1024) },
      });
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
      user: {
        id: account.user.id,
        email: account.email,
        createdAt: expect.any(String),
        isAdmin: false,
        emailVerified: false,
      },
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
      const res = await call('POST', '/v1/auth/login', {
        raw: '{"email":',
        headers: { 'Content-Type': 'application/json' },
      });
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
