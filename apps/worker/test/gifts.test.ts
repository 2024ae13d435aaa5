// Gifts (issue 20): a sale paid by the giver whose entitlement goes to whoever claims its single-use link. The
// checkout (priced as for anyone, promo codes apply), the recipient's mail, claiming (once, by one account, races
// included), a recipient who owns it already (refused, the giver told and offered a refund), the giver's list,
// re-sending (rate-limited, the old link dies) and refunds (while unclaimed by the giver; once claimed by the
// usual rules, the recipient losing access); the whole-database invariants after each.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  buy,
  call,
  expectError,
  expectInvalid,
  idemKey,
  PASSWORD,
  publishedSeries,
  signup,
  submitCheckout,
  uniqueEmail,
} from './helpers';
import { expectInvariants } from './invariants';
import { linkToken, mailsTo, waitForMail, type OutboxMail } from './mail-helpers';
import { cookieHeader, sha256Hex } from './auth-helpers';
import { deliver, failStripe, sessionCompleted, stripeCall, stripeId, stripeRequests } from './stripe-helpers';
import { stripeSeller } from './stripe-seller';
import { countedCall } from './d1-counter';
import { issueGiftToken } from '../src/ledger/gift-queries';

type Item = { episodeId: string } | { seriesId: string };

/** An account whose address is proven theirs (the verification mail's link followed): gifts name it. */
async function verifiedSignup() {
  const user = await signup();
  const verified = await call('POST', '/v1/auth/verify-email', {
    body: { token: linkToken(await waitForMail(user.email), '/verify-email') },
  });
  expect(verified.status, verified.text).toBe(200);
  return user;
}

const giftCheckout = (token: string, item: Item, gift: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  call('POST', '/v1/checkout', { token, body: { ...item, gift, ...extra }, headers: { 'Idempotency-Key': idemKey() } });

/** Buys `item` as a gift for `email` and pays it; the purchase id. */
async function give(token: string, item: Item, email: string, message?: string) {
  const res = await giftCheckout(token, item, { email, ...(message ? { message } : {}) });
  expect(res.status, res.text).toBe(201);
  expect(res.json.purchase.gift).toBe(true);
  const paid = await submitCheckout(res.json.checkoutUrl);
  expect(paid.status, paid.text).toBe(303);
  // The checkout page (what an API client without a way back is shown) says where the gift went.
  const url = new URL(res.json.checkoutUrl);
  const page = await call('GET', `${url.pathname}${url.search}`);
  expect(page.text).toContain('We mailed the recipient a link to claim the gift');
  return res.json.purchaseId as string;
}

/** The claim link's token in the newest gift mail to `email`. */
async function giftToken(email: string, count = 1) {
  const mail = await waitForMail(email, /gift|cadeau/i, count);
  return tokenIn(mail);
}
const tokenIn = (mail: OutboxMail) => {
  const match = /https?:\/\/[^\s]+\/gift\?token=([A-Za-z0-9_-]{43})/.exec(mail.text_body);
  if (!match) throw new Error(`no gift link in: ${mail.text_body}`);
  return match[1]!;
};

const claim = (token: string, giftToken: string) =>
  call('POST', '/v1/gifts/claim', { token, body: { token: giftToken } });
const access = async (token: string, episodeId: string) =>
  (await call('GET', `/v1/episodes/${episodeId}/access`, { token })).status;
const gifts = async (token: string) => {
  const res = await call('GET', '/v1/me/gifts', { token });
  expect(res.status).toBe(200);
  return res.json.gifts as any[];
};
const summary = async (token: string) => (await call('GET', '/v1/analytics/summary', { token })).json.totals[0];

describe('buying a gift', () => {
  it('the giver pays, owns nothing; the recipient is mailed a single-use link, claims it with a new account and owns it', async () => {
    const shop = await publishedSeries();
    const giver = await verifiedSignup();
    const to = uniqueEmail('friend');
    const purchaseId = await give(giver.token, { episodeId: shop.ep2.id }, to, 'Happy birthday!\nEnjoy it.');

    // A sale like any other: the creator's analytics count it, and the giver is its buyer (one buyer, one sale).
    expect(await summary(shop.owner.token)).toMatchObject({ sales: 1, gross: 199, buyers: 1 });
    // Nobody owns it yet: not the giver.
    expect(await access(giver.token, shop.ep2.id)).toBe(402);
    expect((await call('GET', '/v1/me/purchases', { token: giver.token })).json.purchases).toEqual([]);
    const row = await env.DB.prepare('SELECT owner_id, buyer_id FROM purchases WHERE id = ?').bind(purchaseId).first();
    expect(row).toEqual({ owner_id: null, buyer_id: giver.user.id });

    // The giver's receipt says it is a gift; the recipient's mail carries the message and the claim link.
    const receipt = await waitForMail(giver.email, /receipt/i);
    expect(receipt.text_body).toContain(`a gift for ${to}`);
    const mail = await waitForMail(to, /gift/i);
    expect(mail.subject).toBe('A gift for you: Part 2');
    expect(mail.text_body).toContain(giver.email);
    expect(mail.text_body).toContain('Their message: “Happy birthday!\nEnjoy it.”');
    const token = tokenIn(mail);
    // Only the link's hash is stored.
    const stored = await env.DB.prepare('SELECT token_hash FROM gifts WHERE purchase_id = ?').bind(purchaseId).first();
    expect(stored!.token_hash).not.toContain(token);
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await gifts(giver.token))[0]).toMatchObject({
      purchaseId,
      recipientEmail: to,
      title: 'Part 2',
      state: 'sent',
      claimed: false,
      canRefund: true,
    });
    await expectInvariants();

    const friend = await signup(to);
    const claimed = await claim(friend.token, token);
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.json.purchase).toMatchObject({ id: purchaseId, status: 'paid', episodeId: shop.ep2.id });
    expect(await access(friend.token, shop.ep2.id)).toBe(200);
    expect(await access(giver.token, shop.ep2.id)).toBe(402);
    const library = (await call('GET', '/v1/me/purchases', { token: friend.token })).json.purchases;
    expect(library).toMatchObject([{ id: purchaseId, giftReceived: true }]);
    // What the giver paid stays theirs: the recipient's list never says the price.
    expect(library[0]).toMatchObject({ amount: null, listAmount: null, discountAmount: null, taxAmount: null });
    // The library page shows it, as a gift (its receipt is the giver's).
    const libraryPage = await call('GET', '/library', { headers: cookieHeader(friend.token) });
    expect(libraryPage.text).toContain(`data-purchase="${purchaseId}"`);
    expect(libraryPage.text).toContain('A gift');
    expect(libraryPage.text).not.toContain(`/receipts/${purchaseId}`);
    // Claiming again from the same account is the same answer; any other account is refused.
    expect((await claim(friend.token, token)).status).toBe(200);
    expectError(await claim((await signup()).token, token), 409, 'gift_already_claimed');
    expect((await gifts(giver.token))[0]).toMatchObject({ state: 'claimed', claimed: true, canRefund: false });
    // Still one sale, one buyer (the giver): claiming moves no money and no rollup.
    expect(await summary(shop.owner.token)).toMatchObject({ sales: 1, gross: 199, buyers: 1 });
    // Both exports say so: the giver's names the recipient; the recipient's does not name the giver.
    const given = (await call('GET', '/v1/me/export', { token: giver.token })).json.gifts;
    expect(given).toMatchObject([{ direction: 'given', purchase_id: purchaseId, recipient_email: to }]);
    const received = (await call('GET', '/v1/me/export', { token: friend.token })).json;
    expect(received.gifts).toMatchObject([{ direction: 'received', purchase_id: purchaseId, recipient_email: null }]);
    expect(JSON.stringify(received)).not.toContain(giver.email);
    // The recipient may rate the series they now own.
    const review = await call('POST', `/v1/series/${shop.series.id}/reviews`, {
      token: friend.token,
      body: { stars: 5, text: 'A lovely gift' },
    });
    expect(review.status, review.text).toBe(201);
    await expectInvariants();

    // The recipient deletes their account: what they owned is nobody's; the sale stays the giver's.
    const gone = await call('DELETE', '/v1/me', { token: friend.token, body: { password: PASSWORD } });
    expect(gone.status, gone.text).toBe(200);
    const after = await env.DB.prepare('SELECT owner_id, buyer_id, status FROM purchases WHERE id = ?')
      .bind(purchaseId)
      .first();
    expect(after).toEqual({ owner_id: null, buyer_id: giver.user.id, status: 'paid' });
    expect(await summary(shop.owner.token)).toMatchObject({ sales: 1, gross: 199 });
    await expectInvariants();
  });

  it('a whole series as a gift is priced without the giver’s credit; a promo code applies; the giver may own it', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    await buy(giver.token, { episodeId: shop.ep2.id });
    // For themselves "complete the series" costs 499 − 199; a gift costs the whole-series price.
    const own = await call('POST', '/v1/checkout', {
      token: giver.token,
      body: { seriesId: shop.series.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(own.json.purchase.amount).toBe(300);
    const res = await giftCheckout(giver.token, { seriesId: shop.series.id }, { email: uniqueEmail('friend') });
    expect(res.status, res.text).toBe(201);
    expect(res.json.purchase).toMatchObject({ amount: 499, listAmount: 499, gift: true });

    // An episode the giver owns can be given too (the giver's ownership does not matter), at its price.
    const again = await giftCheckout(giver.token, { episodeId: shop.ep2.id }, { email: uniqueEmail('friend') });
    expect(again.status, again.text).toBe(201);
    expect(again.json.purchase.amount).toBe(199);

    const code = await call('POST', '/v1/me/promo-codes', {
      token: shop.owner.token,
      body: { code: `GIFT${crypto.randomUUID().slice(0, 6)}`, kind: 'percent', value: 20 },
    });
    expect(code.status, code.text).toBe(201);
    const coded = await giftCheckout(
      giver.token,
      { seriesId: shop.series.id },
      { email: uniqueEmail('friend') },
      { promoCode: code.json.promoCode.code },
    );
    expect(coded.status, coded.text).toBe(201);
    expect(coded.json.purchase).toMatchObject({ amount: 399, listAmount: 499, discountAmount: 100 });
    expect(coded.json.promoCode).toEqual({ code: code.json.promoCode.code, applied: true });
    await submitCheckout(coded.json.checkoutUrl);
    await expectInvariants();
  });

  it('refuses bad gifts before anything is recorded: markup, links, too long, too many lines, a bad address, oneself', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const item = { episodeId: shop.ep2.id };
    for (const gift of [
      { email: 'not an address' },
      { email: uniqueEmail(), message: 'Hi <b>there</b>' },
      { email: uniqueEmail(), message: 'See https://evil.example/login' },
      { email: uniqueEmail(), message: 'Go to www.evil.example' },
      { email: uniqueEmail(), message: 'x'.repeat(501) },
      { email: uniqueEmail(), message: Array(11).fill('line').join('\n') },
      { email: uniqueEmail(), message: 'bell \u0007' },
      { email: uniqueEmail(), extra: 1 },
    ]) {
      expectInvalid(await giftCheckout(giver.token, item, gift));
    }
    expectError(await giftCheckout(giver.token, item, { email: giver.email.toUpperCase() }), 422, 'gift_to_self');
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = ?')
      .bind(giver.user.id)
      .first<{ n: number }>();
    expect(count!.n).toBe(0);
    // A key used for a gift is another checkout than one for oneself.
    const key = idemKey();
    const first = await call('POST', '/v1/checkout', {
      token: giver.token,
      body: { ...item, gift: { email: uniqueEmail() } },
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(201);
    const reused = await call('POST', '/v1/checkout', {
      token: giver.token,
      body: item,
      headers: { 'Idempotency-Key': key },
    });
    expectError(reused, 422, 'idempotency_key_reused');
  });

  it('mails the recipient in their own language when they have an account, and the texts are French', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const friend = await signup();
    const lang = await call('PUT', '/v1/me/locale', { token: friend.token, body: { locale: 'fr' } });
    expect(lang.status, lang.text).toBe(200);
    await give(giver.token, { seriesId: shop.series.id }, friend.email, 'Bon visionnage');
    const mail = await waitForMail(friend.email, /cadeau/i);
    expect(mail.subject).toBe('Un cadeau pour vous\u202f: My Series');
    expect(mail.text_body).toContain('la série entière My Series');
    expect(mail.text_body).toContain('Son message\u202f: «\u202fBon visionnage\u202f»');
    expect(mail.html_body).toContain('lang="fr"');
  });
});

describe('claiming', () => {
  it('two accounts claiming one link at once: exactly one wins; the invariants hold', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const to = uniqueEmail('friend');
    const purchaseId = await give(giver.token, { episodeId: shop.ep3.id }, to);
    const token = await giftToken(to);
    const accounts = await Promise.all(Array.from({ length: 6 }, () => signup()));
    const answers = await Promise.all(accounts.map((a) => claim(a.token, token)));
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expectError(a, 409, 'gift_already_claimed');
    const winner = accounts[answers.findIndex((a) => a.status === 200)]!;
    const owners = await Promise.all(accounts.map((a) => access(a.token, shop.ep3.id)));
    expect(owners.filter((s) => s === 200)).toHaveLength(1);
    const row = await env.DB.prepare('SELECT owner_id FROM purchases WHERE id = ?').bind(purchaseId).first();
    expect(row!.owner_id).toBe(winner.user.id);
    await expectInvariants();
  });

  it('one account claiming two gifts of the same item at once keeps one; the other stays the giver’s to refund', async () => {
    const shop = await publishedSeries();
    const to = uniqueEmail('friend');
    const [a, b] = [await signup(), await signup()];
    const pa = await give(a.token, { episodeId: shop.ep2.id }, to);
    const ta = await giftToken(to);
    const pb = await give(b.token, { episodeId: shop.ep2.id }, to);
    const tb = await giftToken(to, 2);
    const friend = await signup(to);
    const answers = await Promise.all([claim(friend.token, ta), claim(friend.token, tb)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expectError(
      answers.find((r) => r.status === 409)!,
      409,
      'gift_already_owned',
    );
    const owners = await env.DB.prepare('SELECT id, owner_id FROM purchases WHERE id IN (?, ?)').bind(pa, pb).all();
    expect(owners.results.filter((r) => r.owner_id === friend.user.id)).toHaveLength(1);
    await expectInvariants();
  });

  it('a recipient who owns the item already is refused; the giver is told once, offered a refund, and learns nothing else', async () => {
    const shop = await publishedSeries();
    const friend = await signup();
    await buy(friend.token, { seriesId: shop.series.id });
    const giver = await signup();
    const purchaseId = await give(giver.token, { episodeId: shop.ep2.id }, friend.email);
    const token = await giftToken(friend.email);
    const refused = await claim(friend.token, token);
    expectError(refused, 409, 'gift_already_owned');
    expectError(await claim(friend.token, token), 409, 'gift_already_owned');
    const told = await waitForMail(giver.email, /could not be claimed/);
    expect(told.text_body).toContain('already has it');
    expect(told.text_body).toContain('episode 2, “Part 2”');
    // Told once, however often the claim is tried; nothing about the recipient's other purchases.
    expect((await mailsTo(giver.email)).filter((m) => /could not be claimed/.test(m.subject))).toHaveLength(1);
    expect(told.text_body).not.toContain('My Series (the whole series');
    const [listed] = await gifts(giver.token);
    expect(listed).toMatchObject({ state: 'recipient_owns', recipientAlreadyOwned: true, canRefund: true });
    // What the giver sees of a gift: its own facts, nothing of the recipient's account.
    expect(Object.keys(listed).sort()).toEqual(
      [
        'purchaseId',
        'kind',
        'seriesId',
        'episodeId',
        'title',
        'seriesTitle',
        'handle',
        'recipientEmail',
        'message',
        'amount',
        'currency',
        'paidAt',
        'state',
        'claimed',
        'claimedAt',
        'recipientAlreadyOwned',
        'sends',
        'canResend',
        'canRefund',
      ].sort(),
    );

    // The link still works for another account until the giver refunds it; then it is dead.
    const refund = await call('POST', `/v1/me/gifts/${purchaseId}/refund`, { token: giver.token });
    expect(refund.status, refund.text).toBe(200);
    expect(refund.json.purchase.status).toBe('refunded');
    expect((await gifts(giver.token))[0]).toMatchObject({ state: 'refunded', canRefund: false });
    expectError(await claim((await signup()).token, token), 410, 'gift_refunded');
    expect(await summary(shop.owner.token)).toMatchObject({ sales: 2, gross: 499 + 199, refunded: 199 });
    await expectInvariants();
  });
});

describe('the giver’s gifts', () => {
  it('re-sends the mail with a new link (the old one dies), at most every 10 minutes and 5 times', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const to = uniqueEmail('friend');
    const purchaseId = await give(giver.token, { episodeId: shop.ep2.id }, to);
    const first = await giftToken(to);
    const resend = () => call('POST', `/v1/me/gifts/${purchaseId}/resend`, { token: giver.token });
    expectError(await resend(), 429, 'gift_resend_too_soon');
    const ago = () =>
      env.DB.prepare('UPDATE gifts SET sent_at = sent_at - 11 * 60 * 1000 WHERE purchase_id = ?')
        .bind(purchaseId)
        .run();
    await ago();
    const sent = await resend();
    expect(sent.status, sent.text).toBe(202);
    const second = await giftToken(to, 2);
    expect(second).not.toBe(first);
    // Concurrent re-sends after the wait: one goes.
    await ago();
    const together = await Promise.all([resend(), resend(), resend()]);
    expect(together.filter((r) => r.status === 202)).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await ago();
      await resend();
    }
    expectError(await resend(), 429, 'gift_resend_limit');
    expect((await gifts(giver.token))[0].sends).toBe(5);

    // Someone else's gift is not found, for re-sending as for refunding.
    const other = await signup();
    expectError(await call('POST', `/v1/me/gifts/${purchaseId}/resend`, { token: other.token }), 404, 'not_found');
    expectError(await call('POST', `/v1/me/gifts/${purchaseId}/refund`, { token: other.token }), 404, 'not_found');
    expect(await gifts(other.token)).toEqual([]);

    const friend = await signup(to);
    expectError(await claim(friend.token, first), 404, 'gift_not_found');
    // Five mails went; only the link of the last one issued works (the one whose hash is stored).
    await waitForMail(to, /gift/i, 5);
    const links = (await mailsTo(to)).filter((m) => /gift/i.test(m.subject)).map(tokenIn);
    expect(new Set(links).size).toBe(5);
    const hashes = await Promise.all(links.map(sha256Hex));
    const stored = await env.DB.prepare('SELECT token_hash FROM gifts WHERE purchase_id = ?').bind(purchaseId).first();
    const latest = links.find((l, i) => hashes[i] === stored!.token_hash);
    for (const link of links.filter((l) => l !== latest))
      expectError(await claim(friend.token, link), 404, 'gift_not_found');
    expect((await claim(friend.token, latest!)).status).toBe(200);
    expectError(await resend(), 409, 'gift_already_claimed');
  });

  it('a refund and a claim racing: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const shop = await publishedSeries();
      const giver = await signup();
      const to = uniqueEmail('friend');
      const purchaseId = await give(giver.token, { episodeId: shop.ep2.id }, to);
      const token = await giftToken(to);
      const friend = await signup(to);
      const [refund, claimed] = await Promise.all([
        call('POST', `/v1/me/gifts/${purchaseId}/refund`, { token: giver.token }),
        claim(friend.token, token),
      ]);
      const row = await env.DB.prepare('SELECT status, owner_id FROM purchases WHERE id = ?').bind(purchaseId).first();
      if (claimed.status === 200) {
        expectError(refund, 409, 'gift_already_claimed');
        expect(row).toEqual({ status: 'paid', owner_id: friend.user.id });
        expect(await access(friend.token, shop.ep2.id)).toBe(200);
      } else {
        expect(refund.status, refund.text).toBe(200);
        expectError(claimed, 410, 'gift_refunded');
        expect(row).toEqual({ status: 'refunded', owner_id: null });
      }
      await expectInvariants();
    }
  });

  it('a claimed gift refunded by the usual rules: the recipient loses access like any refund', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const to = uniqueEmail('friend');
    const purchaseId = await give(giver.token, { episodeId: shop.ep2.id }, to);
    const friend = await signup(to);
    expect((await claim(friend.token, await giftToken(to))).status).toBe(200);
    // The giver cannot take it back by themselves once claimed; they ask, as any buyer does.
    expectError(
      await call('POST', `/v1/me/gifts/${purchaseId}/refund`, { token: giver.token }),
      409,
      'gift_already_claimed',
    );
    const asked = await call('POST', `/v1/purchases/${purchaseId}/refund-request`, {
      token: giver.token,
      body: { reason: 'Wrong person' },
    });
    expect(asked.status, asked.text).toBe(201);
    const granted = await call('POST', `/v1/refund-requests/${asked.json.request.id}/grant`, {
      token: shop.owner.token,
      body: {},
    });
    expect(granted.status, granted.text).toBe(200);
    expect(await access(friend.token, shop.ep2.id)).toBe(402);
    expect((await call('GET', '/v1/me/purchases', { token: friend.token })).json.purchases).toEqual([]);
    expect((await gifts(giver.token))[0]).toMatchObject({ state: 'refunded', claimed: true });
    await expectInvariants();
  });
});

describe('the storefront’s gift pages', () => {
  it('the claim page names the gift, its giver and message (escaped), never cached; a dead link is a 404', async () => {
    const shop = await publishedSeries();
    const giver = await verifiedSignup();
    const to = uniqueEmail('friend');
    await give(giver.token, { episodeId: shop.ep2.id }, to, 'For you <3 & more');
    const token = await giftToken(to);
    const page = await call('GET', `/gift?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toContain('no-store');
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(page.text).toContain('A gift for you');
    expect(page.text).toContain(giver.email);
    expect(page.text).toContain('episode 2, “Part 2”, of My Series');
    expect(page.text).toContain('For you &lt;3 &amp; more');
    expect(page.text).toContain(`data-href="/@${shop.owner.handle}/${shop.series.slug}/2"`);
    expect(page.text).toContain('<meta name="robots" content="noindex"');
    const fr = await call('GET', `/gift?token=${token}&lang=fr`);
    expect(fr.text).toContain('Un cadeau pour vous');
    expect(fr.text).toContain('Récupérer votre cadeau');

    const friend = await signup(to);
    expect((await claim(friend.token, token)).status).toBe(200);
    const spent = await call('GET', `/gift?token=${token}`);
    expect(spent.status).toBe(404);
    expect(spent.text).toContain('This gift link no longer works');
    expect((await call('GET', '/gift?token=nope')).status).toBe(404);
  });

  it('the episode and series pages offer "Buy as a gift"; the account page lists the giver’s gifts', async () => {
    const shop = await publishedSeries();
    const episodePage = await call('GET', `/@${shop.owner.handle}/${shop.series.slug}/2`);
    expect(episodePage.text).toContain(`data-gift-episode="${shop.ep2.id}"`);
    expect(episodePage.text).toContain('id="sf-gift"');
    const seriesPage = await call('GET', `/@${shop.owner.handle}/${shop.series.slug}`);
    expect(seriesPage.text).toContain(`data-gift-series="${shop.series.id}"`);
    expect(seriesPage.text).toContain('Buy the whole series as a gift');

    const giver = await signup();
    const to = uniqueEmail('friend');
    const purchaseId = await give(giver.token, { seriesId: shop.series.id }, to);
    const account = await call('GET', '/account', { headers: cookieHeader(giver.token) });
    expect(account.status).toBe(200);
    expect(account.text).toContain('Gifts you gave');
    expect(account.text).toContain(`To ${to}`);
    expect(account.text).toContain('Not claimed yet');
    expect(account.text).toContain(`data-action="gift-refund" data-purchase="${purchaseId}"`);
    const other = await call('GET', '/account', { headers: cookieHeader((await signup()).token) });
    expect(other.text).not.toContain(to);
    expect(other.text).toContain('You have not given anything yet.');
    // The privacy policy says what a gift keeps and shows.
    expect((await call('GET', '/privacy')).text).toContain('Gifts: the address you give a gift to and your message');
  });
});

describe('gifts through Stripe', () => {
  it('a gift paid at Stripe Checkout is mailed once its webhook lands; an unclaimed one refunded by the giver goes back through the Refunds API', async () => {
    const seller = await stripeSeller();
    const giver = await signup();
    const start = (email: string) =>
      stripeCall('POST', '/v1/checkout', {
        token: giver.token,
        body: { seriesId: seller.series.id, gift: { email } },
        headers: { 'Idempotency-Key': idemKey() },
      });
    const [to, other] = [uniqueEmail('friend'), uniqueEmail('friend')];
    const first = await start(to);
    expect(first.status, first.text).toBe(201);
    // Stripe Checkout shows the whole-series price, as for anyone.
    const session = (await stripeRequests()).find(
      (r) => r.path === '/v1/checkout/sessions' && r.form['metadata[purchase_id]'] === first.json.purchaseId,
    );
    expect(session!.form['line_items[0][price_data][unit_amount]']).toBe('499');
    // Nothing is mailed before the payment is confirmed.
    expect(await mailsTo(to)).toEqual([]);
    expect((await deliver(sessionCompleted(first.json.purchaseId, stripeId('pi')))).status).toBe(200);
    const friend = await signup(to);
    expect((await claim(friend.token, await giftToken(to))).status).toBe(200);
    expect(await access(friend.token, seller.ep.id)).toBe(200);

    const second = await start(other);
    const pi = stripeId('pi');
    expect((await deliver(sessionCompleted(second.json.purchaseId, pi))).status).toBe(200);
    // Redelivered: still one mail, one link.
    expect((await deliver(sessionCompleted(second.json.purchaseId, pi))).status).toBe(200);
    const link = await giftToken(other);
    // Stripe unreachable: nothing is refunded, but no claim can win from now on; the giver tries again.
    await failStripe('/v1/refunds', 3);
    const failed = await stripeCall('POST', `/v1/me/gifts/${second.json.purchaseId}/refund`, { token: giver.token });
    expectError(failed, 502, 'payment_provider_unavailable');
    expect((await gifts(giver.token)).find((g) => g.purchaseId === second.json.purchaseId)).toMatchObject({
      state: 'refunding',
      canRefund: true,
    });
    expectError(await claim((await signup(other)).token, link), 410, 'gift_refunded');
    const refund = await stripeCall('POST', `/v1/me/gifts/${second.json.purchaseId}/refund`, { token: giver.token });
    expect(refund.status, refund.text).toBe(200);
    const sent = (await stripeRequests()).filter((r) => r.path === '/v1/refunds' && r.form['payment_intent'] === pi);
    // The failed attempts and the one that went are one refund to Stripe: the same idempotency key.
    expect(new Set(sent.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(sent.at(-1)!.form).toMatchObject({
      amount: '499',
      reverse_transfer: 'true',
      refund_application_fee: 'true',
    });
    expect((await mailsTo(other)).filter((m) => /gift/i.test(m.subject))).toHaveLength(1);
    await expectInvariants();
  });
});

describe('a gift in a creator’s own ledger shard', () => {
  /** Copies directory rows to the second ledger database, as a shard holds copies of what its SQL reads. */
  async function copyRows(table: string, where: string, ...binds: unknown[]) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE ${where}`)
      .bind(...binds)
      .all<Record<string, unknown>>();
    for (const row of results) {
      const cols = Object.keys(row);
      await env.LEDGER_B.prepare(
        `INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      )
        .bind(...Object.values(row))
        .run();
    }
  }

  it('is recorded, claimed, listed, shown and refunded in that shard, never the directory', async () => {
    const shop = await publishedSeries();
    const creatorId = (await env.DB.prepare('SELECT creator_id FROM series WHERE id = ?')
      .bind(shop.series.id)
      .first<{ creator_id: string }>())!.creator_id;
    const [giver, friend] = [await signup(), await signup()];
    for (const id of [giver.user.id, friend.user.id]) await copyRows('users', 'id = ?', id);
    await copyRows('users', 'id = (SELECT user_id FROM creators WHERE id = ?)', creatorId);
    await copyRows('creators', 'id = ?', creatorId);
    await copyRows('series', 'creator_id = ?', creatorId);
    await copyRows('episodes', 'series_id = ?', shop.series.id);
    const shardEnv = { ...env, LEDGER_SHARDS: { hashed: ['DB'], pinned: { [creatorId]: 'LEDGER_B' } } } as Env;
    const get = (path: string, opts: Parameters<typeof countedCall>[2] = {}) =>
      countedCall('GET', path, { ...opts, env: shardEnv });
    const post = (path: string, opts: Parameters<typeof countedCall>[2] = {}) =>
      countedCall('POST', path, { ...opts, env: shardEnv });

    const buyGift = async (email: string) => {
      const co = await post('/v1/checkout', {
        token: giver.token,
        body: { episodeId: shop.ep2.id, gift: { email } },
        headers: { 'Idempotency-Key': idemKey() },
      });
      expect(co.status, co.text).toBe(201);
      const url = new URL(co.json.checkoutUrl);
      const pay = await post(`${url.pathname}/pay`, {
        raw: new URLSearchParams({ sig: url.searchParams.get('sig')!, c: creatorId }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(pay.status).toBe(303);
      return co.json.purchaseId as string;
    };
    const first = await buyGift(friend.email);
    const inB = (id: string) =>
      env.LEDGER_B.prepare(
        'SELECT g.claimed_at, p.owner_id, p.status FROM gifts g JOIN purchases p ON p.id = g.purchase_id WHERE p.id = ?',
      )
        .bind(id)
        .first();
    expect(await inB(first)).toMatchObject({ claimed_at: null, owner_id: null, status: 'paid' });
    expect(await env.DB.prepare('SELECT 1 FROM gifts WHERE purchase_id = ?').bind(first).first()).toBeNull();

    // The link (issued here as the mail consumer would, in the purchase's ledger) opens and claims in the shard.
    const token = 'T'.repeat(43);
    expect(await issueGiftToken(env.LEDGER_B, first, await sha256Hex(token), Date.now())).toBe(true);
    expect((await get(`/gift?token=${token}`)).status).toBe(200);
    const claimed = await post('/v1/gifts/claim', { token: friend.token, body: { token } });
    expect(claimed.status, claimed.text).toBe(200);
    expect(await inB(first)).toMatchObject({ owner_id: friend.user.id });
    expect((await get(`/v1/episodes/${shop.ep2.id}/access`, { token: friend.token })).status).toBe(200);

    const second = await buyGift(uniqueEmail('friend'));
    const listed = await get('/v1/me/gifts', { token: giver.token });
    expect(listed.json.gifts.map((g: { purchaseId: string; state: string }) => [g.purchaseId, g.state])).toEqual([
      [second, 'sent'],
      [first, 'claimed'],
    ]);
    const refund = await post(`/v1/me/gifts/${second}/refund`, { token: giver.token });
    expect(refund.status, refund.text).toBe(200);
    expect(await inB(second)).toMatchObject({ status: 'refunded' });
    // Someone else's gift is in no ledger of theirs.
    expect((await post(`/v1/me/gifts/${second}/resend`, { token: friend.token })).status).toBe(404);
  });
});

describe('gifts nobody can abuse', () => {
  it('an unproven address is never named: the mail and the claim page say "Someone"', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const to = uniqueEmail('friend');
    await give(giver.token, { episodeId: shop.ep2.id }, to, 'From your bank');
    const mail = await waitForMail(to, /gift/i);
    expect(mail.text_body).not.toContain(giver.email);
    expect(mail.text_body).toContain('Someone gave you');
    const page = await call('GET', `/gift?token=${tokenIn(mail)}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(giver.email);
  });

  it('a gift its creator refunded in full with "refund, keep access" can no longer be claimed', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const to = uniqueEmail('friend');
    const purchaseId = await give(giver.token, { episodeId: shop.ep2.id }, to);
    const token = await giftToken(to);
    const refunded = await call('POST', `/v1/sales/${purchaseId}/refunds`, {
      token: shop.owner.token,
      body: { keepAccess: true },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(refunded.status, refunded.text).toBe(201);
    expect((await call('GET', `/gift?token=${token}`)).status).toBe(404);
    const friend = await signup(to);
    const answer = await claim(friend.token, token);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(await access(friend.token, shop.ep2.id)).toBe(402);
    await expectInvariants();
  });

  it('a gift received gives its recipient no "complete the series" credit: the giver paid for it, not them', async () => {
    const shop = await publishedSeries({ bundlePrice: 499 });
    const giver = await signup();
    const to = uniqueEmail('friend');
    await give(giver.token, { episodeId: shop.ep2.id }, to);
    const friend = await signup(to);
    expect((await claim(friend.token, await giftToken(to))).status).toBe(200);
    const whole = await call('POST', '/v1/checkout', {
      token: friend.token,
      body: { seriesId: shop.series.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(whole.status, whole.text).toBe(201);
    expect(whole.json.purchase).toMatchObject({ amount: 499, listAmount: 499 });
    // The giver, who paid for it, keeps their own credit for what they bought for themselves only.
    const own = await call('POST', '/v1/checkout', {
      token: giver.token,
      body: { seriesId: shop.series.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(own.json.purchase).toMatchObject({ amount: 499 });
  });

  it('an Idempotency-Key reused for a gift to someone else is refused, never answered with the first gift', async () => {
    const shop = await publishedSeries();
    const giver = await signup();
    const key = idemKey();
    const item = { episodeId: shop.ep2.id };
    const first = await call('POST', '/v1/checkout', {
      token: giver.token,
      body: { ...item, gift: { email: uniqueEmail('a') } },
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status, first.text).toBe(201);
    const other = await call('POST', '/v1/checkout', {
      token: giver.token,
      body: { ...item, gift: { email: uniqueEmail('b') } },
      headers: { 'Idempotency-Key': key },
    });
    expectError(other, 422, 'idempotency_key_reused');
    // For oneself with the same key: refused too. The same gift again: the same checkout.
    expectError(
      await call('POST', '/v1/checkout', { token: giver.token, body: item, headers: { 'Idempotency-Key': key } }),
      422,
      'idempotency_key_reused',
    );
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE buyer_id = ?')
      .bind(giver.user.id)
      .first<{ n: number }>();
    expect(count!.n).toBe(1);
  });
});
