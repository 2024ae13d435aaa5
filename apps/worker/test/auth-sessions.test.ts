import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, ADMIN_EMAIL, call, creator, expectError, ORIGIN, signup, uniqueHandle } from './helpers';
import { COOKIE, DASHBOARD, EVIL, sessionCookie, cookieHeader, login, me, sha256Hex } from './auth-helpers';

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
      user: {
        id: viewer.user.id,
        email: viewer.email,
        createdAt: expect.any(String),
        isAdmin: false,
        emailVerified: false,
      },
      creator: null,
      endedClaim: null,
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
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
    const ok = await preflight(DASHBOARD);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe(DASHBOARD);
    expect(ok.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    const evil = await preflight(EVIL);
    expect(evil.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
