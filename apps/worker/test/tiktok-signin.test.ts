// "Continue with TikTok" for everyone (issue 16, part 3): signing in or up without an email, the account without
// one (never an admin, asked for an address at the first purchase, adding an email and a password), and an email
// account connecting TikTok later. Purchases stay tied to the account, whichever way one signs in.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  buy,
  call,
  expectError,
  expectInvalid,
  PASSWORD,
  publishedSeries,
  signup,
  startCheckout,
  uniqueEmail,
} from './helpers';
import { waitForMail } from './mail-helpers';
import { connect, tiktokAccount } from './tiktok-helpers';

const SESSION = '__Host-series_session';
const db = () => env.DB;

/** Continue with TikTok, signed out: the session token the callback set (its cookie), and where it went. */
async function continueWithTikTok(account: { open_id: string }, returnTo = '/') {
  const { res } = await connect(null, account, { intent: 'signin', returnTo });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`));
  expect(cookie).toMatch(/HttpOnly/i);
  return { token: cookie!.split(';')[0]!.slice(SESSION.length + 1), location: res.headers.get('Location') };
}

describe('Continue with TikTok, signed out', () => {
  it('creates an account without an email nor password, signed in; the same TikTok account signs into it again', async () => {
    const account = await tiktokAccount({ followers: 12 });
    const before = (await db().prepare('SELECT COUNT(*) AS n FROM users').first<{ n: number }>())!.n;
    const first = await continueWithTikTok(account, '/library');
    expect(first.location).toBe('/library');
    const me = await call('GET', '/v1/me', { token: first.token });
    expect(me.status).toBe(200);
    expect(me.json.user).toMatchObject({ email: null, isAdmin: false, emailVerified: false });
    expect(me.json.creator).toBeNull();
    const row = await db()
      .prepare('SELECT email, password_hash FROM users WHERE id = ?')
      .bind(me.json.user.id)
      .first<{ email: string | null; password_hash: string | null }>();
    expect(row).toEqual({ email: null, password_hash: null });
    // A viewer is not made a creator: no handle was claimed.
    expect((await call('GET', '/v1/me/tiktok', { token: first.token })).json.account.username).toBe(account.username);

    const again = await continueWithTikTok(account);
    expect(again.token).not.toBe(first.token);
    expect((await call('GET', '/v1/me', { token: again.token })).json.user.id).toBe(me.json.user.id);
    expect((await db().prepare('SELECT COUNT(*) AS n FROM users').first<{ n: number }>())!.n).toBe(before + 1);
    // The storefront's viewer answer copes with no address.
    const viewer = await call('GET', '/v1/viewer', { token: again.token });
    expect(viewer.status).toBe(200);
    expect(viewer.json).toMatchObject({ signedIn: true, email: null });
  });

  it('signs into the email account that connected this TikTok account', async () => {
    const account = await tiktokAccount();
    const { token, user } = await signup();
    const { res } = await connect(token, account, { intent: 'signin' });
    expect(res.status).toBe(303);
    // Connecting as a viewer claims no handle.
    expect((await call('GET', '/v1/me', { token })).json.creator).toBeNull();
    const later = await continueWithTikTok(account);
    expect((await call('GET', '/v1/me', { token: later.token })).json.user).toMatchObject({
      id: user.id,
      email: user.email,
    });
  });
});

describe('an account without an email', () => {
  it('is asked for an address at its first purchase, changing nothing', async () => {
    const { ep2 } = await publishedSeries();
    const { token } = await continueWithTikTok(await tiktokAccount());
    const res = await startCheckout(token, { episodeId: ep2.id });
    expectError(res, 409, 'email_required', 'email');
    const me = (await call('GET', '/v1/me', { token })).json.user;
    expect(
      (await db().prepare('SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = ?').bind(me.id).first<{ n: number }>())!
        .n,
    ).toBe(0);
    expectError(await call('POST', '/v1/me/email/verification', { token }), 409, 'no_email');
    // Forgot password knows no such account (no address): nothing to reset.
  });

  it('adds an email (mailed a verification link) and a password; buys; signs in either way to the same account', async () => {
    const { ep2 } = await publishedSeries();
    const account = await tiktokAccount();
    const { token } = await continueWithTikTok(account);
    const id = (await call('GET', '/v1/me', { token })).json.user.id;
    const email = uniqueEmail('tiktok');

    expectInvalid(await call('POST', '/v1/me/credentials', { token, body: {} }));
    expectInvalid(await call('POST', '/v1/me/credentials', { token, body: { email: 'not an address' } }));
    expectInvalid(await call('POST', '/v1/me/credentials', { token, body: { email, password: 'short' } }));
    expectInvalid(await call('POST', '/v1/me/credentials', { token, body: { email, extra: 1 } }));
    const taken = await signup();
    expectError(await call('POST', '/v1/me/credentials', { token, body: { email: taken.email } }), 409, 'email_taken');
    expectError(await call('POST', '/v1/me/credentials', { body: { email } }), 401, 'unauthorized');

    const added = await call('POST', '/v1/me/credentials', { token, body: { email, password: PASSWORD } });
    expect(added.status, added.text).toBe(200);
    expect(added.json).toEqual({ email, emailVerified: false, password: true });
    expect((await call('GET', '/v1/me', { token })).json.user).toMatchObject({ id, email, emailVerified: false });
    await waitForMail(email, /confirm|verify|vérif/i);
    // Once only: the address is then changed with PUT /v1/me/email.
    expectError(await call('POST', '/v1/me/credentials', { token, body: { email: uniqueEmail() } }), 409, 'has_email');
    expectError(
      await call('POST', '/v1/me/credentials', { token: taken.token, body: { email: uniqueEmail() } }),
      409,
      'has_email',
    );

    const purchaseId = await buy(token, { episodeId: ep2.id });
    const login = await call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.json.user.id).toBe(id);
    const byTikTok = await continueWithTikTok(account);
    for (const t of [login.json.token as string, byTikTok.token]) {
      const purchases = await call('GET', '/v1/me/purchases', { token: t });
      expect(purchases.json.purchases.map((p: { id: string }) => p.id)).toContain(purchaseId);
    }
  });

  it('may add an email without a password (receipts only), and still signs in with TikTok', async () => {
    const account = await tiktokAccount();
    const { token } = await continueWithTikTok(account);
    const email = uniqueEmail('receipts');
    const added = await call('POST', '/v1/me/credentials', { token, body: { email } });
    expect(added.json).toEqual({ email, emailVerified: false, password: false });
    // No password to sign in with: the login answers as for a wrong password.
    expectError(
      await call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } }),
      401,
      'invalid_credentials',
    );
    expect((await call('GET', '/v1/me', { token: (await continueWithTikTok(account)).token })).json.user.email).toBe(
      email,
    );
  });
});

describe('an account without a password', () => {
  it('is refused what needs the password (409 no_password, never a 5xx), until it sets one', async () => {
    const { token } = await continueWithTikTok(await tiktokAccount());
    const id = (await call('GET', '/v1/me', { token })).json.user.id as string;
    expectError(await call('DELETE', '/v1/me', { token, body: { password: PASSWORD } }), 409, 'no_password');
    expectError(
      await call('PUT', '/v1/me/password', { token, body: { currentPassword: PASSWORD, newPassword: `${PASSWORD}!` } }),
      409,
      'no_password',
    );
    expect(await db().prepare('SELECT 1 FROM users WHERE id = ?').bind(id).first()).not.toBeNull();
    await call('POST', '/v1/me/credentials', { token, body: { email: uniqueEmail('leaving'), password: PASSWORD } });
    const deleted = await call('DELETE', '/v1/me', { token, body: { password: PASSWORD } });
    expect(deleted.status, deleted.text).toBeLessThan(300);
    expect(await db().prepare('SELECT 1 FROM users WHERE id = ?').bind(id).first()).toBeNull();
  });
});

describe('the storefront', () => {
  it('offers Continue with TikTok in its sign-in dialog and asks an account without email for one, in both languages', async () => {
    const { owner } = await publishedSeries();
    const en = (await call('GET', `/@${owner.handle}`)).text;
    expect(en).toMatch(
      /<a id="sf-tiktok"[^>]*href="\/v1\/auth\/tiktok\/start\?intent=signin&amp;returnTo=%2F"[^>]*>Continue with TikTok<\/a>/,
    );
    expect(en).toContain('id="sf-add-email"');
    expect(en).toContain('Your email address for receipts');
    const fr = (await call('GET', `/@${owner.handle}?lang=fr`)).text;
    expect(fr).toContain('Continuer avec TikTok');
    expect(fr).toContain('Votre adresse e-mail pour les reçus');
    // The sign-in it starts comes back to a path of ours only.
    const start = await call(
      'GET',
      `/v1/auth/tiktok/start?intent=signin&returnTo=${encodeURIComponent(`/@${owner.handle}`)}`,
    );
    expect(start.status).toBe(302);
    expect((await call('GET', '/v1/auth/tiktok/start?intent=signin&returnTo=https%3A%2F%2Fevil.test%2F')).status).toBe(
      400,
    );
  });
});
