// "Connect TikTok" through the stand-in (scripts/tiktok-stand-in.mjs): the flow's state, the code exchange, the
// user info, what is recorded (never a token in the clear), and every failure changing nothing.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../src/index';
import { decryptToken } from '../src/tiktok/tokens';
import { admin, call, expectError, ORIGIN, signup, uniqueHandle } from './helpers';
import { authorize, callback, connect, failTikTok, pageCode, startFlow, tiktokAccount } from './tiktok-helpers';

const db = () => env.DB;
const count = async (sql: string, ...binds: unknown[]) =>
  (await db()
    .prepare(`SELECT COUNT(*) AS n FROM ${sql}`)
    .bind(...binds)
    .first<{ n: number }>())!.n;

/** What a failed flow must leave: no connection, no creator, no state left to reuse. */
async function nothingChanged(userId: string) {
  expect(await count('tiktok_accounts WHERE user_id = ?', userId)).toBe(0);
  expect(await count('creators WHERE user_id = ?', userId)).toBe(0);
}

describe('Connect TikTok: the happy path', () => {
  it('verifies the state, exchanges the code, reads the user and records the verified creator, sealing the refresh token', async () => {
    const account = await tiktokAccount({ followers: 48_000 });
    const { token, user } = await signup();
    const started = await startFlow(token, { intent: 'creator', returnTo: '/dashboard/' });
    expect(started.status).toBe(302);
    const authorizeUrl = started.authorize;
    expect(authorizeUrl.pathname).toBe('/v2/auth/authorize/');
    expect(authorizeUrl.searchParams.get('client_key')).toBe((env as Env).TIKTOK_CLIENT_KEY);
    expect(authorizeUrl.searchParams.get('response_type')).toBe('code');
    expect(authorizeUrl.searchParams.get('scope')).toBe('user.info.basic,user.info.profile,user.info.stats,video.list');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/v1/auth/tiktok/callback`);
    expect(started.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The flow's cookie: HttpOnly, Secure, Lax (sent on the navigation back from TikTok), short-lived.
    expect(started.cookie).toMatch(/^__Host-series_oauth=/);
    // Only hashes of the state and the browser's nonce are kept.
    const kept = await db().prepare('SELECT * FROM oauth_states WHERE user_id = ?').bind(user.id).first<any>();
    expect(kept.state_hash).not.toBe(started.state);
    expect(kept.state_hash).toMatch(/^[0-9a-f]{64}$/);

    const back = await authorize(started, account);
    const res = await callback(back, { token, cookie: started.cookie });
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('Location')).toBe('/dashboard/');
    // The flow's state is used up, and its cookie cleared.
    expect(await count('oauth_states WHERE user_id = ?', user.id)).toBe(0);
    expect(res.headers.getSetCookie().some((c) => /^__Host-series_oauth=;/.test(c))).toBe(true);

    const me = await call('GET', '/v1/me', { token });
    expect(me.json.creator).toMatchObject({ handle: account.username, status: 'pending', verifiedBy: 'tiktok' });
    const mine = await call('GET', '/v1/me/tiktok', { token });
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual({
      configured: true,
      account: {
        username: account.username,
        displayName: expect.any(String),
        avatarUrl: expect.stringMatching(/^http/),
        followerCount: 48_000,
        videoCount: 3,
        isVerified: false,
        scopes: ['user.info.basic', 'user.info.profile', 'user.info.stats', 'video.list'],
        canCheckVideos: true,
        connectedAt: expect.any(String),
        checkedAt: expect.any(String),
      },
    });
    const row = await db().prepare('SELECT * FROM tiktok_accounts WHERE user_id = ?').bind(user.id).first<any>();
    expect(row.open_id).toBe(account.open_id);
    // Sealed with TOKEN_ENCRYPTION_KEY, bound to the open_id: it opens only for that account.
    expect(row.refresh_token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const opened = await decryptToken((env as Env).TOKEN_ENCRYPTION_KEY!, row.refresh_token, account.open_id);
    expect(opened).toMatch(/^rft\./);
    expect(await decryptToken((env as Env).TOKEN_ENCRYPTION_KEY!, row.refresh_token, 'another-open-id')).toBeNull();
    expect(await decryptToken('another-key-0123456789abcdef0123456789', row.refresh_token, account.open_id)).toBeNull();
    // No answer carries a token.
    for (const text of [res.text, me.text, mine.text]) expect(text).not.toMatch(/act\.|rft\.|code\./);
    const audit = await call('GET', '/v1/admin/audit', { token: await admin() });
    expect(audit.json.entries).toContainEqual(
      expect.objectContaining({ action: 'creator.verify', target: account.username }),
    );
  });

  it('an email account that already claimed its handle by typing it becomes verified on connect', async () => {
    const account = await tiktokAccount();
    const { token } = await signup();
    expect(
      (await call('POST', '/v1/creators', { token, body: { handle: account.username, displayName: 'Me' } })).status,
    ).toBe(201);
    expect((await call('GET', '/v1/me', { token })).json.creator.verifiedBy).toBeNull();
    const { res } = await connect(token, account);
    expect(res.status, res.text).toBe(303);
    expect((await call('GET', '/v1/me', { token })).json.creator).toMatchObject({
      handle: account.username,
      displayName: 'Me',
      verifiedBy: 'tiktok',
    });
  });

  it('returnTo must be a path of ours: another site is refused before anything starts', async () => {
    const { token } = await signup();
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const res = await call('GET', `/v1/auth/tiktok/start?${new URLSearchParams({ returnTo })}`, { token });
      expectError(res, 400, 'invalid_request');
    }
  });
});

describe('Connect TikTok: every failure says what happened and changes nothing', () => {
  it('a missing or forged state', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    const started = await startFlow(token, { intent: 'creator' });
    const back = await authorize(started, account);
    const missing = new URL(back);
    missing.searchParams.delete('state');
    const forged = new URL(back);
    forged.searchParams.set('state', 'A'.repeat(43));
    for (const url of [missing, forged]) {
      const res = await callback(url, { token, cookie: started.cookie });
      expect(res.status).toBe(400);
      expect(pageCode(res.text)).toBe('tiktok_state_invalid');
      expect(res.headers.get('Content-Type')).toMatch(/text\/html/);
    }
    await nothingChanged(user.id);
  });

  it('a state reused (the callback replayed): the second time finds nothing', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    const started = await startFlow(token, { intent: 'creator' });
    const back = await authorize(started, account);
    expect((await callback(back, { token, cookie: started.cookie })).status).toBe(303);
    const again = await callback(back, { token, cookie: started.cookie });
    expect(again.status).toBe(400);
    expect(pageCode(again.text)).toBe('tiktok_state_invalid');
    expect(await count('tiktok_accounts WHERE user_id = ?', user.id)).toBe(1);
  });

  it('a state started in another browser (no cookie, or another flow’s cookie) is refused, and burnt', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    const victim = await startFlow(token, { intent: 'creator' });
    const other = await startFlow(token, { intent: 'creator' });
    const back = await authorize(victim, account);
    for (const cookie of [undefined, other.cookie]) {
      const res = await callback(back, { token, cookie });
      expect(res.status).toBe(400);
      expect(pageCode(res.text)).toBe('tiktok_state_invalid');
    }
    // Even with the right cookie now, the state is spent.
    expect(pageCode((await callback(back, { token, cookie: victim.cookie })).text)).toBe('tiktok_state_invalid');
    await nothingChanged(user.id);
  });

  it('a state past its 10 minutes', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    const started = await startFlow(token, { intent: 'creator' });
    const back = await authorize(started, account);
    await db()
      .prepare('UPDATE oauth_states SET expires_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, user.id)
      .run();
    const res = await callback(back, { token, cookie: started.cookie });
    expect(res.status).toBe(400);
    expect(pageCode(res.text)).toBe('tiktok_state_expired');
    await nothingChanged(user.id);
  });

  it('an error answer (the person cancelled at TikTok)', async () => {
    const { token, user } = await signup();
    const started = await startFlow(token, { intent: 'creator', returnTo: '/dashboard/settings' });
    const back = await authorize(started, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    const res = await callback(back, { token, cookie: started.cookie });
    expect(res.status).toBe(400);
    expect(pageCode(res.text)).toBe('tiktok_denied');
    // The way back is where the flow started.
    expect(res.text).toContain('href="/dashboard/settings"');
    await nothingChanged(user.id);
  });

  it('a replayed code (TikTok answers invalid_grant)', async () => {
    const account = await tiktokAccount();
    const first = await signup();
    const { back } = await connect(first.token, account);
    // Someone replays the code with a flow of their own.
    const { token, user } = await signup();
    const mine = await startFlow(token, { intent: 'creator' });
    const replay = new URL(back);
    replay.searchParams.set('state', mine.state);
    const res = await callback(replay, { token, cookie: mine.cookie });
    expect(res.status).toBe(400);
    expect(pageCode(res.text)).toBe('tiktok_code_rejected');
    await nothingChanged(user.id);
  });

  it('a token endpoint that is down, or answers an error JSON; a user info that is down', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    for (const [path, kind] of [
      ['/v2/oauth/token/', 'down'],
      ['/v2/oauth/token/', 'error'],
      ['/v2/user/info/', 'down'],
      ['/v2/user/info/', 'error'],
    ] as const) {
      const started = await startFlow(token, { intent: 'creator' });
      const back = await authorize(started, account);
      await failTikTok(path, 1, kind);
      const res = await callback(back, { token, cookie: started.cookie });
      expect(res.status, `${path} ${kind}`).toBe(503);
      expect(pageCode(res.text)).toBe('tiktok_unavailable');
      await nothingChanged(user.id);
    }
  });

  it('a user info without username (profile scope not granted)', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    const started = await startFlow(token, { intent: 'creator' });
    const back = await authorize(started, account, ['user.info.stats', 'video.list']);
    expect(back.searchParams.get('scopes')).toBe('user.info.basic,user.info.stats,video.list');
    const res = await callback(back, { token, cookie: started.cookie });
    expect(res.status).toBe(400);
    expect(pageCode(res.text)).toBe('tiktok_scope_missing');
    await nothingChanged(user.id);
  });

  it('signing out in another tab meanwhile', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    const started = await startFlow(token, { intent: 'creator' });
    const back = await authorize(started, account);
    const res = await callback(back, { token: null, cookie: started.cookie });
    expect(res.status).toBe(400);
    expect(pageCode(res.text)).toBe('tiktok_session_changed');
    await nothingChanged(user.id);
  });

  it('a TikTok account connected to another Series account, or a second TikTok account', async () => {
    const account = await tiktokAccount();
    const owner = await signup();
    expect((await connect(owner.token, account)).res.status).toBe(303);
    const { token, user } = await signup();
    const res = (await connect(token, account)).res;
    expect(res.status).toBe(409);
    expect(pageCode(res.text)).toBe('tiktok_connected_elsewhere');
    await nothingChanged(user.id);
    const second = (await connect(owner.token, await tiktokAccount())).res;
    expect(second.status).toBe(409);
    expect(pageCode(second.text)).toBe('tiktok_other_account');
  });

  it('a French browser reads the page in French', async () => {
    const { token } = await signup();
    const res = await call('GET', `/v1/auth/tiktok/callback?state=${'B'.repeat(43)}&code=x`, {
      token,
      headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('Ce lien de connexion n’est pas valable ici\u202f:');
  });

  it('a deploy without the TikTok secrets says so, and everything else works', async () => {
    const { token } = await signup();
    const bare: Env = { ...(env as Env), TIKTOK_CLIENT_KEY: undefined, TIKTOK_CLIENT_SECRET: undefined };
    const start = await app.request(
      '/v1/auth/tiktok/start?intent=creator',
      { headers: { Authorization: `Bearer ${token}` } },
      bare,
    );
    expect(start.status).toBe(503);
    expect(pageCode(await start.text())).toBe('tiktok_not_configured');
    const mine = await app.request('/v1/me/tiktok', { headers: { Authorization: `Bearer ${token}` } }, bare);
    expect(await mine.json()).toEqual({ configured: false, account: null });
    // Claiming by typing and linking videos (unverified) still work.
    const handle = uniqueHandle();
    const claim = await app.request(
      '/v1/creators',
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ handle, displayName: 'Fallback' }),
      },
      bare,
    );
    expect(claim.status).toBe(201);
  });
});
