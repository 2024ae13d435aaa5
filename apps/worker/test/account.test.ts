import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  admin,
  buy,
  call,
  creator,
  createSeries,
  expectError,
  PASSWORD,
  publishedSeries,
  signup,
} from './helpers';

const login = (email: string, password = PASSWORD, userAgent = 'test-device') =>
  call('POST', '/v1/auth/login', { body: { email, password }, headers: { 'User-Agent': userAgent } });
const me = (token: string) => call('GET', '/v1/me', { token });

describe('sessions', () => {
  it('lists the devices signed in, marks this one, and signs another out', async () => {
    const account = await signup();
    const phone = (await login(account.email, PASSWORD, 'Phone')).json.token;
    const laptop = (await login(account.email, PASSWORD, 'Laptop')).json.token;
    const list = await call('GET', '/v1/me/sessions', { token: laptop });
    expect(list.status).toBe(200);
    expect(list.json.sessions).toHaveLength(3);
    const current = list.json.sessions.filter((s: { current: boolean }) => s.current);
    expect(current).toEqual([expect.objectContaining({ userAgent: 'Laptop' })]);
    expect(JSON.stringify(list.json)).not.toContain(laptop);

    const phoneSession = list.json.sessions.find((s: { userAgent: string }) => s.userAgent === 'Phone');
    expect((await call('DELETE', `/v1/me/sessions/${phoneSession.id}`, { token: laptop })).status).toBe(200);
    expect((await me(phone)).status).toBe(401);
    expect((await me(laptop)).status).toBe(200);
  });

  it("cannot see or revoke someone else's session", async () => {
    const a = await signup();
    const b = await signup();
    const bSession = (await call('GET', '/v1/me/sessions', { token: b.token })).json.sessions[0];
    expect(
      (await call('GET', '/v1/me/sessions', { token: a.token })).json.sessions.map((s: { id: string }) => s.id),
    ).not.toContain(bSession.id);
    expectError(await call('DELETE', `/v1/me/sessions/${bSession.id}`, { token: a.token }), 404, 'not_found');
    expect((await me(b.token)).status).toBe(200);
    expect((await call('GET', '/v1/me/sessions')).status).toBe(401);
  });

  it('signs out everywhere', async () => {
    const account = await signup();
    const other = (await login(account.email)).json.token;
    const res = await call('POST', '/v1/auth/logout-all', { token: account.token });
    expect(res.json.revoked).toBe(2);
    expect((await me(account.token)).status).toBe(401);
    expect((await me(other)).status).toBe(401);
  });
});

describe('PUT /v1/me/password', () => {
  it('changes the password and ends every other session', async () => {
    const account = await signup();
    const other = (await login(account.email)).json.token;
    const res = await call('PUT', '/v1/me/password', {
      token: account.token,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(res.json).toEqual({ changed: true, revokedOtherSessions: 1 });
    expect((await me(account.token)).status).toBe(200);
    expect((await me(other)).status).toBe(401);
    expect((await login(account.email)).status).toBe(401);
    expect((await login(account.email, 'a brand new passphrase')).status).toBe(200);
  });

  it('refuses a wrong current password (403) and a weak new one (400), changing nothing', async () => {
    const account = await signup();
    const other = (await login(account.email)).json.token;
    expectError(
      await call('PUT', '/v1/me/password', {
        token: account.token,
        body: { currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase' },
      }),
      403,
      'invalid_credentials',
    );
    expectError(
      await call('PUT', '/v1/me/password', {
        token: account.token,
        body: { currentPassword: PASSWORD, newPassword: 'short' },
      }),
      400,
      'invalid_request',
      'newPassword',
    );
    expect((await me(other)).status).toBe(200);
    expect((await login(account.email)).status).toBe(200);
    expect(
      (
        await call('PUT', '/v1/me/password', {
          body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
        })
      ).status,
    ).toBe(401);
  });
});

describe('GET /v1/me/export', () => {
  it("exports the caller's own data, and no secrets", async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { episodeId: ep2.id });
    const res = await call('GET', '/v1/me/export', { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toContain('attachment');
    expect(res.json.user.email).toBe(viewer.email);
    expect(res.json.purchases).toEqual([
      expect.objectContaining({ status: 'paid', amount: 199, episode_title: 'Part 2' }),
    ]);
    expect(res.json.sessions.length).toBeGreaterThan(0);
    expect(res.text).not.toMatch(/pbkdf2|token_hash|password_hash/);
    expect(res.text).not.toContain(viewer.token);
  });
});

describe('DELETE /v1/me', () => {
  it('deletes a buyer: personal data goes, the creator keeps the sale with the buyer anonymised', async () => {
    const { owner, ep2 } = await publishedSeries();
    const viewer = await signup();
    const purchaseId = await buy(viewer.token, { episodeId: ep2.id });
    const before = (await call('GET', '/v1/analytics/summary', { token: owner.token })).json.totals;

    const res = await call('DELETE', '/v1/me', { token: viewer.token, body: { password: PASSWORD } });
    expect(res.status).toBe(200);
    expect((await me(viewer.token)).status).toBe(401);
    expect((await login(viewer.email)).status).toBe(401);
    expect(await env.DB.prepare('SELECT 1 FROM users WHERE email = ?').bind(viewer.email).first()).toBeNull();
    expect(await env.DB.prepare('SELECT 1 FROM sessions WHERE user_id = ?').bind(viewer.user.id).first()).toBeNull();
    expect(await env.DB.prepare('SELECT 1 FROM buyer_days WHERE buyer_id = ?').bind(viewer.user.id).first()).toBeNull();
    expect(
      await env.DB.prepare('SELECT buyer_id, status FROM purchases WHERE id = ?').bind(purchaseId).first(),
    ).toEqual({ buyer_id: null, status: 'paid' });
    expect((await call('GET', '/v1/analytics/summary', { token: owner.token })).json.totals).toEqual(before);
    // The email is free again, for a fresh account that owns nothing.
    const again = await signup(viewer.email);
    expect((await call('GET', '/v1/me/purchases', { token: again.token })).json.purchases).toEqual([]);
  });

  it('refuses a wrong password (403) and keeps everything', async () => {
    const viewer = await signup();
    expectError(
      await call('DELETE', '/v1/me', { token: viewer.token, body: { password: 'not my password' } }),
      403,
      'invalid_credentials',
    );
    expectError(await call('DELETE', '/v1/me', { token: viewer.token, body: {} }), 400, 'invalid_request');
    expect((await me(viewer.token)).status).toBe(200);
  });

  it('deletes a creator without sales with their catalogue; refuses one with sales', async () => {
    const fresh = await creator();
    const series = await createSeries(fresh.token);
    await addEpisode(fresh.token, series.id);
    expect((await call('DELETE', '/v1/me', { token: fresh.token, body: { password: PASSWORD } })).status).toBe(200);
    expect(await env.DB.prepare('SELECT 1 FROM series WHERE id = ?').bind(series.id).first()).toBeNull();
    const reclaim = await signup();
    expect(
      (await call('POST', '/v1/creators', { token: reclaim.token, body: { handle: fresh.handle, displayName: 'New' } }))
        .status,
    ).toBe(201);

    const { owner, ep2 } = await publishedSeries();
    await buy((await signup()).token, { episodeId: ep2.id });
    expectError(
      await call('DELETE', '/v1/me', { token: owner.token, body: { password: PASSWORD } }),
      409,
      'creator_has_sales',
    );
    expect((await me(owner.token)).status).toBe(200);
  });

  it('refuses to delete an admin account', async () => {
    expectError(
      await call('DELETE', '/v1/me', { token: await admin(), body: { password: PASSWORD } }),
      409,
      'admin_account',
    );
  });
});

describe('audit log', () => {
  it('is append-only in the database itself', async () => {
    const { handle } = await creator('pending');
    await call('POST', `/v1/admin/creators/${handle}/approve`, { token: await admin() });
    await expect(env.DB.prepare('UPDATE audit_log SET action = ?').bind('x').run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
    const entries = (await call('GET', '/v1/admin/audit', { token: await admin() })).json.entries;
    expect(
      entries.some((e: { action: string; target: string }) => e.action === 'creator.approve' && e.target === handle),
    ).toBe(true);
  });
});
