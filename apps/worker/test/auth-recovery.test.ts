// Verified addresses, forgotten passwords and changes of address: the API routes, the mails they queue (read from
// the local outbox, filled by the real local queue) and the hourly limits.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectError, PASSWORD, signup, uniqueEmail } from './helpers';
import { linkToken, mailsTo, waitForMail } from './mail-helpers';

const NEW_PASSWORD = 'a brand new passphrase';
const fromIp = (ip: string) => ({ 'CF-Connecting-IP': ip });
const randomIp = () => `10.${[...crypto.getRandomValues(new Uint8Array(3))].join('.')}`;

const me = (token: string) => call('GET', '/v1/me', { token });
const login = (email: string, password: string) => call('POST', '/v1/auth/login', { body: { email, password } });
const askReset = (email: string, ip = randomIp()) =>
  call('POST', '/v1/auth/password-reset', { body: { email }, headers: fromIp(ip) });
const confirmReset = (token: string, password = NEW_PASSWORD) =>
  call('POST', '/v1/auth/password-reset/confirm', { body: { token, password } });

describe('sign-up and verification', () => {
  it('sign-up mails a verification link in the browser’s language; opening it verifies the address once', async () => {
    const email = uniqueEmail('fr');
    const res = await call('POST', '/v1/auth/signup', {
      body: { email, password: PASSWORD },
      headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' },
    });
    expect(res.status).toBe(201);
    expect(res.json.user.emailVerified).toBe(false);
    expect((await me(res.json.token)).json.user.emailVerified).toBe(false);

    const mail = await waitForMail(email);
    expect(mail.subject).toBe('Confirmez votre adresse e-mail');
    expect(mail.text_body).toContain(email);
    expect(mail.html_body).toContain('lang="fr"');
    // No tracking: no images, no remote resources, every link on our own origin.
    expect(mail.html_body).not.toMatch(/<img|src=|url\(/i);
    for (const [, href] of mail.html_body.matchAll(/href="([^"]+)"/g)) expect(href).toMatch(/^http:\/\/api\.test\//);
    const token = linkToken(mail, '/verify-email');
    // Only its hash is stored.
    const stored = await env.DB.prepare('SELECT token_hash FROM account_tokens WHERE user_id = ?')
      .bind(res.json.user.id)
      .all<{ token_hash: string }>();
    expect(stored.results.map((r) => r.token_hash)).not.toContain(token);

    const verified = await call('POST', '/v1/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.json).toEqual({ verified: true, email });
    expect((await me(res.json.token)).json.user.emailVerified).toBe(true);
    expectError(await call('POST', '/v1/auth/verify-email', { body: { token } }), 400, 'invalid_token');
    expectError(await call('POST', `/v1/me/email/verification`, { token: res.json.token }), 409, 'already_verified');
  });

  it('a verification link can be asked again; expired and forged links change nothing', async () => {
    const account = await signup();
    await waitForMail(account.email);
    const again = await call('POST', '/v1/me/email/verification', { token: account.token });
    expect(again.status).toBe(202);
    const mail = await waitForMail(account.email, /Confirm your email address/, 2);
    const token = linkToken(mail, '/verify-email');
    for (const forged of ['x', 'A'.repeat(43), token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')]) {
      expectError(await call('POST', '/v1/auth/verify-email', { body: { token: forged } }), 400, 'invalid_token');
    }
    await env.DB.prepare('UPDATE account_tokens SET expires_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, account.user.id)
      .run();
    expectError(await call('POST', '/v1/auth/verify-email', { body: { token } }), 400, 'invalid_token');
    expect((await me(account.token)).json.user.emailVerified).toBe(false);
  });
});

describe('forgot password', () => {
  it('a single-use link sets a new password, ends every session and signs in; the old password is gone', async () => {
    const account = await signup();
    const other = await login(account.email, PASSWORD);
    expect(other.status).toBe(200);
    const res = await askReset(account.email);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ sent: true });
    const mail = await waitForMail(account.email, /Choose a new Series password/);
    expect(mail.text_body).toMatch(/30 minutes/);
    const token = linkToken(mail, '/reset-password');

    expectInvalidPassword(await confirmReset(token, 'short'));
    const done = await confirmReset(token);
    expect(done.status).toBe(200);
    expect(done.json.user).toMatchObject({ id: account.user.id, email: account.email, emailVerified: true });
    expect(done.headers.get('Set-Cookie')).toMatch(/__Host-series_session=/);
    // Every earlier session ended; the new one works.
    expect((await me(account.token)).status).toBe(401);
    expect((await me(other.json.token)).status).toBe(401);
    expect((await me(done.json.token)).status).toBe(200);
    expectError(await login(account.email, PASSWORD), 401, 'invalid_credentials');
    expect((await login(account.email, NEW_PASSWORD)).status).toBe(200);
    // Used once: never again.
    expectError(await confirmReset(token, 'yet another passphrase'), 400, 'invalid_token');
    expect((await login(account.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('expired, forged and superseded links are refused and change nothing', async () => {
    const account = await signup();
    await askReset(account.email);
    await askReset(account.email);
    await waitForMail(account.email, /password/, 2);
    const mails = (await mailsTo(account.email)).filter((m) => /password/.test(m.subject));
    const [a, b] = mails.map((m) => linkToken(m, '/reset-password'));
    expectError(await confirmReset('not-a-token'), 400, 'invalid_token');
    expectError(await confirmReset('B'.repeat(43)), 400, 'invalid_token');
    await env.DB.prepare(`UPDATE account_tokens SET expires_at = ? WHERE user_id = ? AND purpose = 'reset_password'`)
      .bind(Date.now() - 1, account.user.id)
      .run();
    expectError(await confirmReset(a!), 400, 'invalid_token');
    expect((await me(account.token)).status).toBe(200);
    expect((await login(account.email, PASSWORD)).status).toBe(200);
    // A fresh link works, and the other live links die with it.
    await env.DB.prepare(`UPDATE account_tokens SET expires_at = ? WHERE user_id = ? AND purpose = 'reset_password'`)
      .bind(Date.now() + 60_000, account.user.id)
      .run();
    expect((await confirmReset(a!)).status).toBe(200);
    expectError(await confirmReset(b!), 400, 'invalid_token');
  });

  it('the answer for an unknown address is the known one’s, and no mail goes anywhere', async () => {
    const account = await signup();
    const unknown = uniqueEmail('nobody');
    const known = await askReset(account.email);
    const none = await askReset(unknown);
    expect(none.status).toBe(known.status);
    expect(none.text).toBe(known.text);
    await waitForMail(account.email, /password/);
    expect(await mailsTo(unknown)).toEqual([]);
  });

  it('at most 5 an hour per address (known or not) and 20 an hour per client address', async () => {
    for (const email of [(await signup()).email, uniqueEmail('ghost')]) {
      for (let i = 0; i < 5; i++) expect((await askReset(email)).status).toBe(202);
      const refused = await askReset(email);
      expectError(refused, 429, 'rate_limited');
      expect(refused.headers.get('Retry-After')).toBe('3600');
    }
    const ip = randomIp();
    for (let i = 0; i < 20; i++) expect((await askReset(uniqueEmail('spray'), ip)).status, `request ${i}`).toBe(202);
    expectError(await askReset(uniqueEmail('spray'), ip), 429, 'rate_limited');
    expect((await askReset(uniqueEmail('spray'))).status).toBe(202);
    // An hour later the count starts again (the cron prunes what no longer counts).
    await env.DB.prepare('UPDATE mail_requests SET created_at = created_at - 3600001').run();
    expect((await askReset(uniqueEmail('spray'), ip)).status).toBe(202);
  });

  it('a reset link sent before the address changed no longer works', async () => {
    const account = await signup();
    await askReset(account.email);
    const token = linkToken(await waitForMail(account.email, /password/), '/reset-password');
    const moved = uniqueEmail('moved');
    await env.DB.prepare('UPDATE users SET email = ? WHERE id = ?').bind(moved, account.user.id).run();
    expectError(await confirmReset(token), 400, 'invalid_token');
  });
});

describe('changing the address', () => {
  it('needs the password, verifies the new address before it counts, then tells the old one', async () => {
    const account = await signup();
    const next = uniqueEmail('next');
    expectError(
      await call('PUT', '/v1/me/email', { token: account.token, body: { email: next, password: 'wrong password!' } }),
      403,
      'invalid_credentials',
    );
    expectError(
      await call('PUT', '/v1/me/email', { token: account.token, body: { email: account.email, password: PASSWORD } }),
      409,
      'same_email',
    );
    const taken = await signup();
    expectError(
      await call('PUT', '/v1/me/email', { token: account.token, body: { email: taken.email, password: PASSWORD } }),
      409,
      'email_taken',
    );
    const asked = await call('PUT', '/v1/me/email', {
      token: account.token,
      body: { email: next, password: PASSWORD },
    });
    expect(asked.status).toBe(202);
    expect(asked.json).toEqual({ pending: next });
    // Nothing changes until the new address's link is opened.
    expect((await me(account.token)).json.user.email).toBe(account.email);
    const mail = await waitForMail(next, /new email address/);
    const verified = await call('POST', '/v1/auth/verify-email', { body: { token: linkToken(mail, '/verify-email') } });
    expect(verified.status).toBe(200);
    expect((await me(account.token)).json.user).toMatchObject({ email: next, emailVerified: true });
    expect((await login(next, PASSWORD)).status).toBe(200);
    expectError(await login(account.email, PASSWORD), 401, 'invalid_credentials');
    const notice = await waitForMail(account.email, /new email address/);
    expect(notice.text_body).toContain(next);
    expect(notice.text_body).not.toMatch(/token=/);
  });

  it('an account without a password (TikTok only) is told so, never a 5xx', async () => {
    const account = await signup();
    await env.DB.prepare('UPDATE users SET password_hash = NULL WHERE id = ?').bind(account.user.id).run();
    expectError(
      await call('PUT', '/v1/me/email', {
        token: account.token,
        body: { email: uniqueEmail('x'), password: 'anything' },
      }),
      409,
      'no_password',
    );
  });

  it('a link to an address another account took meanwhile changes nothing (409) and a newer request voids it', async () => {
    const account = await signup();
    const wanted = uniqueEmail('wanted');
    await call('PUT', '/v1/me/email', { token: account.token, body: { email: wanted, password: PASSWORD } });
    const token = linkToken(await waitForMail(wanted), '/verify-email');
    await signup(wanted);
    expectError(await call('POST', '/v1/auth/verify-email', { body: { token } }), 409, 'email_taken');
    expect((await me(account.token)).json.user.email).toBe(account.email);

    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    await call('PUT', '/v1/me/email', { token: account.token, body: { email: first, password: PASSWORD } });
    await call('PUT', '/v1/me/email', { token: account.token, body: { email: second, password: PASSWORD } });
    const old = linkToken(await waitForMail(first), '/verify-email');
    expectError(await call('POST', '/v1/auth/verify-email', { body: { token: old } }), 400, 'invalid_token');
    const latest = linkToken(await waitForMail(second), '/verify-email');
    expect((await call('POST', '/v1/auth/verify-email', { body: { token: latest } })).status).toBe(200);
  });
});

function expectInvalidPassword(res: Awaited<ReturnType<typeof call>>) {
  expectError(res, 400, 'invalid_request', 'password');
}
