// The pages the account mails link to (storefront/recovery-routes.tsx): plain forms that work without script.
import { describe, expect, it } from 'vitest';
import { call, ORIGIN, PASSWORD, signup, uniqueEmail } from './helpers';
import { linkToken, mailsTo, waitForMail } from './mail-helpers';

const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call('POST', path, {
    raw: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...headers },
  });

describe('forgot password pages', () => {
  it('forgot-password → mail → reset page → new password: signed in here, signed out elsewhere', async () => {
    const account = await signup();
    const page = await call('GET', '/forgot-password');
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toBe('private, no-store');
    expect(page.text).toContain('<meta name="robots" content="noindex"');
    expect(page.text).toContain('action="/forgot-password"');

    const sent = await form('/forgot-password', { email: account.email.toUpperCase() });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('id="recover-sent"');
    // The same page for an address without an account.
    const ghost = uniqueEmail('ghost');
    const none = await form('/forgot-password', { email: ghost });
    expect(none.text.replace(ghost, account.email)).toBe(sent.text);
    const mail = await waitForMail(account.email, /password/);
    expect(await mailsTo(ghost)).toEqual([]);
    const token = linkToken(mail, '/reset-password');

    const reset = await call('GET', `/reset-password?token=${token}`);
    expect(reset.status).toBe(200);
    expect(reset.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(reset.text).toContain(account.email);
    expect(reset.text).toContain('autocomplete="new-password"');

    const short = await form('/reset-password', { token, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('id="recover-error"');
    // A form from another site is refused before anything happens (it would sign the visitor into that account).
    expect(
      (await form('/reset-password', { token, password: 'x'.repeat(12) }, { Origin: 'https://evil.example' })).status,
    ).toBe(403);

    const done = await form('/reset-password', { token, password: 'my new long passphrase' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('id="recover-done"');
    const cookie = done.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^__Host-series_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect((await call('GET', '/v1/me', { token: account.token })).status).toBe(401);
    const session = cookie.split(';')[0]!;
    expect((await call('GET', '/v1/me', { headers: { Cookie: session } })).json.user.email).toBe(account.email);
    // Used: the page now says so, and points to a new link.
    const again = await call('GET', `/reset-password?token=${token}`);
    expect(again.status).toBe(400);
    expect(again.text).toContain('id="recover-invalid"');
    expect(again.text).toContain('href="/forgot-password"');
    expect((await call('POST', '/v1/auth/login', { body: { email: account.email, password: PASSWORD } })).status).toBe(
      401,
    );
  });

  it('in French for a French browser, with a bad address said on the field', async () => {
    const bad = await form('/forgot-password', { email: 'not an address' }, { 'Accept-Language': 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('lang="fr"');
    expect(bad.text).toContain('Saisissez une adresse e-mail valide.');
    expect(bad.text).toContain('aria-invalid="true"');
  });

  it('the storefront’s sign-in dialog links to it', async () => {
    const page = await call('GET', '/library');
    expect(page.text).toContain('href="/forgot-password"');
  });
});

describe('verify-email page', () => {
  it('confirms the address once; the viewer answer says verified', async () => {
    const account = await signup();
    const cookie = { Cookie: `__Host-series_session=${account.token}` };
    expect((await call('GET', '/v1/viewer', { headers: cookie })).json).toMatchObject({ emailVerified: false });
    const token = linkToken(await waitForMail(account.email), '/verify-email');
    const page = await call('GET', `/verify-email?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(account.email);
    expect((await call('GET', '/v1/viewer', { headers: cookie })).json).toMatchObject({ emailVerified: true });
    expect((await call('GET', `/verify-email?token=${token}`)).status).toBe(400);
    expect((await call('GET', '/verify-email?token=%3Cscript%3E')).status).toBe(400);
  });
});

describe('the storefront’s account page', () => {
  it('says the address and whether it is confirmed; "sign out everywhere" ends every session', async () => {
    const account = await signup();
    const other = (await call('POST', '/v1/auth/login', { body: { email: account.email, password: PASSWORD } })).json
      .token as string;
    const cookie = { Cookie: `__Host-series_session=${account.token}` };
    const signedOut = await call('GET', '/account');
    expect(signedOut.status).toBe(200);
    expect(signedOut.text).toContain('data-action="signin"');
    const page = await call('GET', '/account', { headers: cookie });
    expect(page.headers.get('Cache-Control')).toBe('private, no-store');
    expect(page.text).toContain(account.email);
    expect(page.text).toContain('data-verified="false"');
    expect(page.text).toContain('href="/dashboard/account"');
    const foreign = await call('POST', '/account/sign-out-everywhere', {
      headers: { ...cookie, Origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect((await call('GET', '/v1/me', { token: other })).status).toBe(200);
    const out = await call('POST', '/account/sign-out-everywhere', { headers: { ...cookie, Origin: ORIGIN } });
    expect(out.status).toBe(200);
    expect(out.headers.get('Set-Cookie')).toMatch(/__Host-series_session=;/);
    for (const token of [account.token, other]) expect((await call('GET', '/v1/me', { token })).status).toBe(401);
  });
});
