import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { addEpisode, admin, buy, call, creator, createSeries, idemKey, publishedSeries, signup } from './helpers';
import { queuedViews, viewCall } from './views-helpers';
import { cleanImage } from '../src/images/formats';
import { multipart } from './images-helpers';
import { fixture } from './media-helpers';

/**
 * Property tests over every route that takes input: bodies built from the core schemas' shapes, then
 * deliberately broken (wrong types, huge and odd strings, SQL and HTML payloads, bad numbers, malformed
 * JSON, wrong content types, oversized bodies). Whatever arrives: never a 5xx, and a 4xx writes nothing.
 */

const NASTY_STRINGS = [
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u202eevil\u202c',
  '\u0000nul',
  '\ud800',
  '👩‍👩‍👧‍👦'.repeat(50),
  'x'.repeat(10_000),
  '   ',
  '',
  '%00%27',
  '../../etc/passwd',
];

const anyValue = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.0001,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    [],
    {},
    ...NASTY_STRINGS,
  ),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid body, then 0–3 mutations: drop a key, set a key to anything, add an unknown key. */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>) {
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('drop' as const), key: fc.string({ maxLength: 20 }), value: fc.constant(null) }),
    fc.record({ op: fc.constant('set' as const), key: fc.string({ maxLength: 20 }), value: anyValue }),
    fc.record({ op: fc.constant('add' as const), key: fc.string({ maxLength: 20 }), value: anyValue }),
  );
  return fc.tuple(valid, fc.array(mutation, { maxLength: 3 }), fc.nat()).map(([body, ops, pick]) => {
    const out: Record<string, unknown> = { ...body };
    for (const { op, key, value } of ops) {
      const keys = Object.keys(out);
      const target = op === 'add' || keys.length === 0 ? key : keys[pick % keys.length]!;
      if (op === 'drop') delete out[target];
      else out[target] = value;
    }
    return out;
  });
}

/** Whole-request variants: a JSON body, or raw text that is not JSON, the wrong type, or too big. */
function requestBodies(valid: fc.Arbitrary<Record<string, unknown>>) {
  return fc.oneof(
    { weight: 6, arbitrary: mutated(valid).map((body) => ({ body })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((raw) => ({ raw, contentType: 'application/json' })) },
    {
      weight: 1,
      arbitrary: mutated(valid).map((b) => ({
        raw: JSON.stringify(b),
        contentType: fc.sample(
          fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'),
          1,
        )[0]!,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({ raw: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }), contentType: 'application/json' }),
    },
  );
}

type Fuzzable = { body?: unknown; raw?: string; contentType?: string };

async function send(
  method: string,
  path: string,
  token: string | null,
  input: Fuzzable,
  headers: Record<string, string> = {},
) {
  return call(method, path, {
    token,
    ...(input.raw !== undefined
      ? { raw: input.raw, headers: { 'Content-Type': input.contentType!, ...headers } }
      : { body: input.body, headers }),
  });
}

/** The view routes, their reports held in `queuedViews` (a refused report must queue nothing, and write nothing). */
const sendViews = (path: string, input: Fuzzable) =>
  viewCall(
    'POST',
    path,
    input.raw !== undefined
      ? { raw: input.raw, headers: { 'Content-Type': input.contentType! } }
      : { body: input.body },
  );

const snapshot = async (sql: string, ...params: unknown[]) =>
  JSON.stringify(
    (
      await env.DB.prepare(sql)
        .bind(...params)
        .all()
    ).results,
  );

const price = fc.oneof(fc.constant(null), fc.integer({ min: 99, max: 18_999 }));
const seriesBody = fc.record(
  {
    title: fc.string({ minLength: 1, maxLength: 60 }),
    currency: fc.constantFrom('USD', 'JPY', 'EUR'),
    bundlePrice: price,
  },
  { requiredKeys: ['title', 'currency'] },
);
const episodeBody = fc.record(
  { title: fc.string({ minLength: 1, maxLength: 60 }), durationSeconds: fc.integer({ min: 1, max: 1200 }), price },
  { requiredKeys: ['title', 'durationSeconds', 'price'] },
);

let owner: Awaited<ReturnType<typeof creator>>;
let seriesId: string;
let episodeId: string;
let publishedEp: string;
let viewer: Awaited<ReturnType<typeof signup>>;
let cases = 0;

beforeAll(async () => {
  owner = await creator();
  seriesId = (await createSeries(owner.token)).id;
  episodeId = (await addEpisode(owner.token, seriesId)).id;
  publishedEp = (await publishedSeries()).ep2.id;
  viewer = await signup();
});

/** Runs the property: no 5xx ever; on a 4xx, `state()` (this route's own rows) is unchanged. */
async function fuzz(
  input: fc.Arbitrary<Fuzzable>,
  run: (i: Fuzzable) => ReturnType<typeof call>,
  state: (i: Fuzzable) => Promise<string>,
  numRuns = 60,
) {
  await fc.assert(
    fc.asyncProperty(input, async (i) => {
      cases++;
      const before = await state(i);
      const res = await run(i);
      expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.json?.error?.code, 'error shape').toEqual(expect.any(String));
        expect(await state(i), 'a refused request wrote something').toBe(before);
      }
    }),
    { numRuns },
  );
}

describe('fuzzing: never a 5xx, never a write on a 4xx', () => {
  it('POST /v1/auth/signup', async () => {
    const valid = fc.record({ email: fc.emailAddress(), password: fc.string({ minLength: 10, maxLength: 40 }) });
    const emailOf = (i: Fuzzable) => {
      const body = (i.body ??
        (() => {
          try {
            return JSON.parse(i.raw ?? '');
          } catch {
            return {};
          }
        })()) as { email?: unknown };
      // Only a string can be an email; anything else (even an object with a broken toString) names none.
      return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    };
    await fuzz(
      requestBodies(valid),
      (i) => send('POST', '/v1/auth/signup', null, i),
      (i) => snapshot('SELECT id FROM users WHERE email = ?', emailOf(i)),
    );
  });

  it('POST /v1/auth/login', async () => {
    const valid = fc.record({ email: fc.constant(viewer.email), password: fc.string({ maxLength: 40 }) });
    await fuzz(
      requestBodies(valid),
      (i) => send('POST', '/v1/auth/login', null, i),
      () => snapshot('SELECT COUNT(*) FROM sessions WHERE user_id = ?', viewer.user.id),
    );
  });

  it('POST /v1/auth/password-reset and /v1/auth/password-reset/confirm', async () => {
    const email = fc.oneof(fc.constant(viewer.email), fc.emailAddress());
    // The hourly counts are written before the answer (the mail itself goes after it, in the background).
    await fuzz(
      requestBodies(fc.record({ email })),
      (i) => send('POST', '/v1/auth/password-reset', null, i),
      () => snapshot('SELECT COUNT(*) FROM mail_requests'),
      40,
    );
    const tokensOf = () =>
      snapshot(
        `SELECT (SELECT COUNT(*) FROM account_tokens WHERE user_id = ?1 AND used_at IS NOT NULL) AS used,
                (SELECT COUNT(*) FROM sessions WHERE user_id = ?1) AS sessions,
                (SELECT password_hash FROM users WHERE id = ?1) AS hash`,
        viewer.user.id,
      );
    const token = fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/));
    await fuzz(
      requestBodies(fc.record({ token, password: fc.string({ minLength: 10, maxLength: 40 }) })),
      (i) => send('POST', '/v1/auth/password-reset/confirm', null, i),
      tokensOf,
      40,
    );
  });

  it('POST /v1/auth/verify-email, PUT /v1/me/email and PUT /v1/me/locale', async () => {
    const account = await signup();
    const state = () =>
      snapshot(
        `SELECT email, email_verified_at, locale, (SELECT COUNT(*) FROM account_tokens WHERE user_id = ?1) AS tokens
         FROM users WHERE id = ?1`,
        account.user.id,
      );
    const token = fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/));
    await fuzz(requestBodies(fc.record({ token })), (i) => send('POST', '/v1/auth/verify-email', null, i), state, 30);
    await fuzz(
      requestBodies(fc.record({ email: fc.emailAddress(), password: fc.string({ maxLength: 40 }) })),
      (i) => send('PUT', '/v1/me/email', account.token, i),
      state,
      30,
    );
    const maker = await creator();
    await fuzz(
      requestBodies(fc.record({ dailySummary: fc.boolean() })),
      (i) => send('PUT', '/v1/me/notifications', maker.token, i),
      () => snapshot('SELECT daily_summary FROM creators WHERE handle = ?', maker.handle),
      30,
    );
    await fuzz(
      requestBodies(fc.record({ locale: fc.constantFrom('en', 'fr', 'de') })),
      (i) => send('PUT', '/v1/me/locale', account.token, i),
      state,
      30,
    );
  });

  it('POST /v1/sales/:id/refunds and POST /v1/purchases/:id/refund-request', async () => {
    const { owner, ep2 } = await publishedSeries();
    const buyer = await signup();
    const purchaseId = await buy(buyer.token, { episodeId: ep2.id });
    const state = () =>
      snapshot(
        `SELECT status, refunded_amount, refund_keeps_access,
                (SELECT COUNT(*) FROM refund_requests WHERE purchase_id = ?1) AS requests
         FROM purchases WHERE id = ?1`,
        purchaseId,
      );
    const valid = fc.record(
      { amount: fc.integer({ min: 150, max: 500 }), keepAccess: fc.boolean(), reason: fc.string({ maxLength: 40 }) },
      { requiredKeys: [] },
    );
    await fuzz(
      requestBodies(valid),
      (i) => send('POST', `/v1/sales/${purchaseId}/refunds`, owner.token, i, { 'Idempotency-Key': idemKey() }),
      state,
      30,
    );
    await fuzz(
      requestBodies(fc.record({ reason: fc.string({ maxLength: 1200 }) })),
      (i) => send('POST', `/v1/purchases/${purchaseId}/refund-request`, buyer.token, i),
      state,
      30,
    );
  });

  it('POST /v1/creators', async () => {
    const claimant = await signup();
    const valid = fc.record({
      handle: fc.stringMatching(/^[a-z0-9_.]{2,24}$/),
      displayName: fc.string({ minLength: 1, maxLength: 60 }),
    });
    await fuzz(
      requestBodies(valid),
      (i) => send('POST', '/v1/creators', claimant.token, i),
      async () => {
        const row = await snapshot('SELECT * FROM creators WHERE user_id = ?', claimant.user.id);
        // A successful claim is allowed once; after it the account stays the same.
        return row;
      },
      40,
    );
  });

  it('POST /v1/series and PATCH /v1/series/:id', async () => {
    await fuzz(
      requestBodies(seriesBody),
      (i) => send('POST', '/v1/series', owner.token, i),
      () =>
        snapshot(
          'SELECT COUNT(*) FROM series WHERE creator_id = (SELECT creator_id FROM series WHERE id = ?)',
          seriesId,
        ),
    );
    await fuzz(
      requestBodies(seriesBody.map(({ currency: _, ...rest }) => rest)),
      (i) => send('PATCH', `/v1/series/${seriesId}`, owner.token, i),
      () => snapshot('SELECT * FROM series WHERE id = ?', seriesId),
    );
  });

  it('POST /v1/series/:id/episodes and PATCH /v1/episodes/:id', async () => {
    const episodes = () => snapshot('SELECT * FROM episodes WHERE series_id = ? ORDER BY id', seriesId);
    await fuzz(
      requestBodies(episodeBody),
      (i) => send('POST', `/v1/series/${seriesId}/episodes`, owner.token, i),
      episodes,
      50,
    );
    await fuzz(requestBodies(episodeBody), (i) => send('PATCH', `/v1/episodes/${episodeId}`, owner.token, i), episodes);
  });

  it('POST /v1/series/:id/reviews, PUT /v1/reviews/:id and POST /v1/reviews/:id/reply', async () => {
    const { owner: maker, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    await buy(buyer.token, { episodeId: ep2.id });
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...NASTY_STRINGS));
    const valid = fc.record({ stars: fc.integer({ min: 0, max: 6 }), text }, { requiredKeys: ['stars'] });
    const reviews = () => snapshot('SELECT * FROM reviews WHERE series_id = ? ORDER BY id', series.id);
    await fuzz(
      requestBodies(valid),
      (i) => send('POST', `/v1/series/${series.id}/reviews`, buyer.token, i),
      reviews,
      40,
    );
    const mine = await call('GET', `/v1/series/${series.id}/reviews/mine`, { token: buyer.token });
    const id =
      mine.json.review?.id ??
      (await call('POST', `/v1/series/${series.id}/reviews`, { token: buyer.token, body: { stars: 3 } })).json.review
        .id;
    await fuzz(requestBodies(valid), (i) => send('PUT', `/v1/reviews/${id}`, buyer.token, i), reviews, 40);
    await fuzz(
      requestBodies(fc.record({ text })),
      (i) => send('POST', `/v1/reviews/${id}/reply`, maker.token, i),
      reviews,
      30,
    );
  });

  it('POST /v1/reports, PUT /v1/admin/settings/review, rejections, takedowns and report resolutions', async () => {
    const { series, ep2 } = await publishedSeries();
    const reporter = await signup();
    const adminToken = await admin();
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...NASTY_STRINGS));
    const target = fc.oneof(
      fc.record({
        kind: fc.constantFrom('series', 'episode', 'review', 'user'),
        id: fc.constantFrom(series.id, ep2.id),
      }),
      anyValue,
    );
    const reasons = fc.constantFrom('spam', 'misleading', 'stolen', 'other', 'nope', '');
    await fuzz(
      requestBodies(fc.record({ target, reason: reasons, text }, { requiredKeys: ['target', 'reason'] })),
      (i) => send('POST', '/v1/reports', reporter.token, i),
      () => snapshot('SELECT COUNT(*) FROM reports WHERE reporter_id = ?', reporter.user.id),
      30,
    );
    const setting = () => snapshot("SELECT value FROM platform_settings WHERE key = 'review_required'");
    await fuzz(
      requestBodies(fc.record({ reviewRequired: fc.constant(false) })),
      (i) => send('PUT', '/v1/admin/settings/review', adminToken, i),
      setting,
      20,
    );
    const seriesRow = () => snapshot('SELECT * FROM series WHERE id = ?', series.id);
    await fuzz(
      requestBodies(fc.record({ reason: text })),
      (i) => send('POST', `/v1/admin/review-queue/series/${series.id}/reject`, adminToken, i),
      seriesRow,
      20,
    );
    // Refused takedowns change nothing; a valid one is the last (the series stays down after it).
    await fuzz(
      requestBodies(fc.record({ reason: fc.constantFrom('', '   ', '<b>x</b>', 'x'.repeat(2001)) })),
      (i) => send('POST', `/v1/admin/series/${series.id}/takedown`, adminToken, i),
      seriesRow,
      20,
    );
    const viewer = await signup();
    const open = (
      await call('POST', '/v1/reports', {
        token: viewer.token,
        body: { target: { kind: 'series', id: series.id }, reason: 'spam' },
      })
    ).json.report.id;
    await fuzz(
      requestBodies(fc.record({ action: fc.constantFrom('dismiss', 'remove_review', 'take_down', 'ban'), note: text })),
      (i) => send('POST', `/v1/admin/reports/${open}/resolve`, adminToken, i),
      () => snapshot('SELECT resolved_at FROM reports WHERE id = ?', open),
      20,
    );
  });

  it('POST /v1/checkout', async () => {
    const valid = fc.oneof(
      fc.constant({ episodeId: publishedEp }),
      fc.record({ seriesId: fc.string() }),
      // The storefront's way back and link source: anything but a path on this site or a short word is refused.
      fc.record({
        episodeId: fc.constant(publishedEp),
        returnTo: fc.oneof(fc.string(), fc.constantFrom(...NASTY_STRINGS), fc.webUrl()),
        source: fc.string({ maxLength: 30 }),
      }),
      // The price the buyer was shown: any other than the price now is refused (409 price_changed), nothing made.
      fc.record({ episodeId: fc.constant(publishedEp), expectedAmount: fc.oneof(fc.integer(), fc.double()) }),
    );
    await fuzz(
      requestBodies(valid),
      (i) => send('POST', '/v1/checkout', viewer.token, i, { 'Idempotency-Key': idemKey() }),
      () => snapshot('SELECT id, status FROM purchases WHERE buyer_id = ? ORDER BY id', viewer.user.id),
      50,
    );
    // The Idempotency-Key header itself.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('', 'short', 'x'.repeat(129), 'ключ-ключ-ключ')),
        async (key) => {
          cases++;
          const res = await call('POST', '/v1/checkout', {
            token: viewer.token,
            body: { episodeId: publishedEp },
            headers: { 'Idempotency-Key': key },
          }).catch(() => null);
          // Some strings cannot even be sent as a header; those never reach the worker.
          if (res) expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('POST /v1/checkout with a gift, POST /v1/gifts/claim and POST /v1/me/gifts/:id/resend|refund', async () => {
    const giver = await signup();
    const gift = fc.record(
      {
        email: fc.oneof(fc.emailAddress(), fc.constantFrom(...NASTY_STRINGS)),
        message: fc.oneof(fc.string({ maxLength: 600 }), fc.constantFrom(...NASTY_STRINGS, 'see https://x.test')),
      },
      { requiredKeys: ['email'] },
    );
    await fuzz(
      requestBodies(fc.record({ episodeId: fc.constant(publishedEp), gift: mutated(gift) })),
      (i) => send('POST', '/v1/checkout', giver.token, i, { 'Idempotency-Key': idemKey() }),
      () =>
        snapshot(
          'SELECT purchase_id FROM gifts WHERE purchase_id IN (SELECT id FROM purchases WHERE buyer_id = ?)',
          giver.user.id,
        ),
      50,
    );
    const claimer = await signup();
    await fuzz(
      requestBodies(
        fc.record({
          token: fc.oneof(fc.string({ maxLength: 60 }), fc.base64String(), fc.constantFrom(...NASTY_STRINGS)),
        }),
      ),
      (i) => send('POST', '/v1/gifts/claim', claimer.token, i),
      () => snapshot('SELECT purchase_id FROM gifts WHERE claimed_at IS NOT NULL OR refused_at IS NOT NULL ORDER BY 1'),
      40,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NASTY_STRINGS.filter((x) => x !== '\ud800'), 'pur_x', 'pur_0000000000000000AAAA'),
        fc.boolean(),
        async (id, refund) => {
          cases++;
          const res = await call('POST', `/v1/me/gifts/${encodeURIComponent(id)}/${refund ? 'refund' : 'resend'}`, {
            token: giver.token,
          });
          expect(res.status).toBe(404);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('POST /v1/series/:id/discounts', async () => {
    const { owner: maker, series, ep2 } = await publishedSeries();
    const instant = fc.oneof(
      fc.integer({ min: -48, max: 24 * 120 }).map((h) => new Date(Date.now() + h * 3_600_000).toISOString()),
      fc.constantFrom(...NASTY_STRINGS, '2026-13-40T00:00:00Z', 'tomorrow'),
    );
    const valid = fc.record(
      {
        scope: fc.constantFrom('episodes', 'episode', 'bundle', 'all'),
        episodeId: fc.constantFrom(ep2.id, 'ep_nope', ''),
        kind: fc.constantFrom('percent', 'fixed', 'free'),
        value: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.constant(1e12)),
        startsAt: instant,
        endsAt: instant,
      },
      { requiredKeys: ['scope', 'kind', 'value', 'endsAt'] },
    );
    await fuzz(
      requestBodies(valid),
      (i) => send('POST', `/v1/series/${series.id}/discounts`, maker.token, i),
      () => snapshot('SELECT id FROM discounts WHERE series_id = ? ORDER BY id', series.id),
      60,
    );
    // Whatever was accepted never prices anything below the minimum nor above the list price.
    const buyer = await signup();
    const co = await call('POST', '/v1/checkout', {
      token: buyer.token,
      body: { episodeId: ep2.id },
      headers: { 'Idempotency-Key': idemKey() },
    });
    expect(co.json.purchase.amount).toBeGreaterThanOrEqual(99);
    expect(co.json.purchase.amount).toBeLessThanOrEqual(199);
  });

  it('POST /v1/me/promo-codes, PATCH /v1/me/promo-codes/:id and POST /v1/checkout with promoCode', async () => {
    const { owner: maker, series, ep2 } = await publishedSeries();
    const valid = fc.record(
      {
        code: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$/), fc.constantFrom(...NASTY_STRINGS)),
        seriesId: fc.constantFrom(series.id, null, 'ser_nope', ''),
        kind: fc.constantFrom('percent', 'fixed', 'free'),
        value: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.constant(1e12)),
        expiresAt: fc.oneof(
          fc.constant(null),
          fc.integer({ min: -48, max: 24 * 400 }).map((h) => new Date(Date.now() + h * 3_600_000).toISOString()),
          fc.constantFrom(...NASTY_STRINGS),
        ),
        maxRedemptions: fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 5 }), fc.double()),
      },
      { requiredKeys: ['code', 'kind', 'value'] },
    );
    const codes = () =>
      snapshot(
        'SELECT * FROM promo_codes WHERE creator_id = (SELECT creator_id FROM series WHERE id = ?) ORDER BY id',
        series.id,
      );
    await fuzz(requestBodies(valid), (i) => send('POST', '/v1/me/promo-codes', maker.token, i), codes, 60);
    const made = await call('POST', '/v1/me/promo-codes', {
      token: maker.token,
      body: { code: 'FUZZ-ONE', kind: 'percent', value: 40, maxRedemptions: 2 },
    });
    await fuzz(
      requestBodies(fc.record({ paused: fc.boolean() })),
      (i) => send('PATCH', `/v1/me/promo-codes/${made.json.promoCode.id}`, maker.token, i),
      codes,
      30,
    );
    await call('PATCH', `/v1/me/promo-codes/${made.json.promoCode.id}`, {
      token: maker.token,
      body: { paused: false },
    });
    // Codes typed at checkout: whatever is typed, never a 5xx, nothing created on a 4xx, never below the minimum.
    const buyer = await signup();
    await fuzz(
      requestBodies(
        fc.record({
          episodeId: fc.constant(ep2.id),
          promoCode: fc.oneof(
            fc.constantFrom('fuzz-one', 'FUZZ-ONE', ' fuzz-one '),
            fc.string(),
            fc.constantFrom(...NASTY_STRINGS),
          ),
        }),
      ),
      (i) => send('POST', '/v1/checkout', buyer.token, i, { 'Idempotency-Key': idemKey() }),
      () => snapshot('SELECT id, amount FROM purchases WHERE buyer_id = ? ORDER BY id', buyer.user.id),
      40,
    );
    const { n } = (await env.DB.prepare('SELECT COUNT(*) AS n FROM purchases WHERE promo_code_id = ? AND buyer_id = ?')
      .bind(made.json.promoCode.id, buyer.user.id)
      .first<{ n: number }>())!;
    expect(n).toBeLessThanOrEqual(1);
  });

  it('PUT /v1/admin/commission refuses anything but 0..10000 whole basis points', async () => {
    const { admin } = await import('./helpers');
    const token = await admin();
    await fc.assert(
      fc.asyncProperty(anyValue, async (bps) => {
        cases++;
        const res = await call('PUT', '/v1/admin/commission', { token, body: { bps } });
        expect(res.status).toBeLessThan(500);
        const ok = typeof bps === 'number' && Number.isInteger(bps) && bps >= 0 && bps <= 10_000;
        expect(res.status === 200).toBe(ok);
        if (ok) await call('PUT', '/v1/admin/commission', { token, body: { bps: 0 } });
      }),
      { numRuns: 60 },
    );
  });

  it('PUT /v1/admin/extension/anchors', async () => {
    const { admin } = await import('./helpers');
    const token = await admin();
    // Selector lists of selector-like strings, nasty strings and non-strings, at any depth of the document.
    const selector = fc.oneof(
      fc.constantFrom('[data-e2e="user-bio"]', 'a[href^="/@"]', 'article:has(video)'),
      fc.constantFrom(...NASTY_STRINGS),
      fc.string({ maxLength: 40 }),
    );
    const list = fc.oneof(
      { weight: 4, arbitrary: fc.array(selector, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: anyValue },
    );
    const reader = fc.record(
      {
        selector,
        attribute: fc.oneof(fc.constant(undefined), fc.constantFrom('href', 'id', 'on click', 'x'.repeat(60))),
      },
      { requiredKeys: ['selector'] },
    );
    const readers = fc.oneof(
      { weight: 4, arbitrary: fc.array(reader, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: anyValue },
    );
    const items = fc.record({ items: list, author: readers, video: readers, anchors: list });
    const anchors = fc.record({
      format: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: anyValue }),
      pages: fc.record({
        feed: fc.array(fc.oneof(fc.constantFrom('/', '/foryou', '/search/*'), fc.string({ maxLength: 30 })), {
          maxLength: 3,
        }),
        search: fc.constant(['/search/*']),
      }),
      profile: fc.record({ identity: readers, anchors: list }),
      video: fc.record({ scope: list, identity: readers, anchors: list }),
      feed: items,
      search: items,
    });
    const state = async () =>
      `${await snapshot('SELECT COUNT(*) FROM extension_anchors')}${await snapshot(`SELECT COUNT(*) FROM audit_log WHERE action = 'extension.anchors.publish'`)}`;
    await fuzz(
      requestBodies(
        fc.record(
          { anchors, expectedVersion: fc.oneof(fc.constant(undefined), fc.integer({ min: -2, max: 3 })) },
          { requiredKeys: ['anchors'] },
        ),
      ),
      (i) => send('PUT', '/v1/admin/extension/anchors', token, i),
      state,
      60,
    );
  });

  it('POST /v1/views and POST /v1/episodes/:id/uploads', async () => {
    await fuzz(
      requestBodies(fc.record({ episodeIds: fc.array(fc.constant(publishedEp), { minLength: 1, maxLength: 1 }) })),
      (i) => sendViews('/v1/views', i),
      async () =>
        `${await snapshot('SELECT views FROM funnel_daily WHERE episode_id = ?', publishedEp)} ${queuedViews.length}`,
      40,
    );
    await fuzz(
      requestBodies(
        fc.record({
          handle: fc.string({ maxLength: 30 }),
          seriesId: fc.string(),
          source: fc.string({ maxLength: 30 }),
        }),
      ),
      (i) => sendViews('/v1/views/storefront', i),
      async () =>
        `${await snapshot('SELECT SUM(views) FROM source_daily WHERE source NOT IN (?)', 'never')} ${queuedViews.length}`,
      40,
    );
    await fuzz(
      requestBodies(fc.record({ size: fc.integer({ min: 1, max: 1000 }) })),
      (i) => send('POST', `/v1/episodes/${episodeId}/uploads`, owner.token, i),
      () => snapshot('SELECT COUNT(*) FROM media_uploads WHERE episode_id = ?', episodeId),
      40,
    );
  });

  it('PUT /v1/series/:id/cover and /v1/episodes/:id/thumbnail: any bytes, broken images', async () => {
    const images = ['cover-300x400.png', 'cover-300x400.jpg', 'cover-300x400.webp'].map((n) => fixture(n));
    // Real images cut, flipped and spliced, and bytes that are no image at all.
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc
        .record({
          image: fc.constantFrom(...images),
          cut: fc.nat(),
          flips: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { maxLength: 8 }),
        })
        .map(({ image, cut, flips }) => {
          const out = image.slice(0, image.length - (cut % Math.max(1, image.length >> 2)));
          for (const { at, bit } of flips) out[at % out.length] = out[at % out.length]! ^ (1 << bit);
          return out;
        }),
    );
    const field = fc.constantFrom('image', 'thumbnail', 'cover', '');
    const stored = async () =>
      `${(await env.MEDIA.list({ prefix: 'images/' })).objects.length} ${await snapshot('SELECT cover_url FROM series WHERE id = ?', seriesId)} ${await snapshot('SELECT thumb_key FROM episodes WHERE id = ?', episodeId)}`;
    await fc.assert(
      fc.asyncProperty(bytes, field, fc.boolean(), async (body, name, cover) => {
        cases++;
        const before = await stored();
        const form = multipart({ [name || 'x']: { bytes: body, type: 'image/png' } });
        const path = cover ? `/v1/series/${seriesId}/cover` : `/v1/episodes/${episodeId}/thumbnail`;
        const res = await call('PUT', path, { token: owner.token, ...form });
        expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.json?.error?.code, 'error shape').toEqual(expect.any(String));
          expect(await stored(), 'a refused image was stored').toBe(before);
        } else {
          // Accepted: what is served reads as a whole image again, with nothing left to strip.
          const url = (res.json.cover ?? res.json.thumbnail).url as string;
          const served = await env.MEDIA.get(`images/${url.split('/').pop()}`);
          const clean = cleanImage(new Uint8Array(await served!.arrayBuffer()));
          expect('stripped' in clean && clean.stripped).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('path and query parameters: ids, handles, prefixes, dates', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 200)),
      fc.stringMatching(/^[a-z]{2,4}_[A-Za-z0-9]{0,40}$/),
    );
    const routes = [
      (s: string) => ['GET', `/v1/series/${s}`],
      (s: string) => ['GET', `/v1/creators/${s}`],
      (s: string) => ['GET', `/v1/videos/${s}`],
      (s: string) => ['GET', `/v1/lookup/creators/${s}`],
      (s: string) => ['GET', `/v1/episodes/${s}/access`],
      (s: string) => ['GET', `/v1/media/${s}?grant=${s}`],
      (s: string) => ['GET', `/v1/analytics/summary?from=${s}&to=${s}`],
      (s: string) => ['GET', `/v1/analytics/daily?currency=${s}&seriesId=${s}`],
      (s: string) => ['GET', `/v1/payouts/purchases?month=${s}`],
      (s: string) => ['DELETE', `/v1/episodes/${s}`],
      (s: string) => ['GET', `/checkout/${s}?sig=${s}`],
      (s: string) => ['POST', `/checkout/${s}/pay`],
      // Storefront pages: a handle, slug or number that does not parse is the 404 page, never a 500.
      (s: string) => ['GET', `/@${s}`],
      (s: string) => ['GET', `/@${s}/${s}`],
      (s: string) => ['GET', `/@seriesdemo/${s}/${s}?lang=${s}&src=${s}`],
      (s: string) => ['GET', `/receipts/${s}`],
      (s: string) => ['GET', `/v1/viewer?seriesId=${s}`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(segment, fc.constantFrom('%ff%fe', '%', '%zz', '%ED%A0%80')),
        fc.nat({ max: routes.length - 1 }),
        async (raw, which) => {
          cases++;
          let encoded: string;
          try {
            encoded = encodeURIComponent(raw);
          } catch {
            encoded = '%ED%A0%80'; // a lone surrogate, as the invalid UTF-8 a raw HTTP client can send
          }
          const [method, path] = routes[which]!(encoded) as [string, string];
          const res = await call(method, path, { token: owner.token });
          expect(res.status, `${method} ${path}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GET /v1/auth/tiktok/start, /callback and /v1/me/tiktok/videos: any query', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 200)),
    );
    const query = fc.dictionary(
      fc.constantFrom('returnTo', 'intent', 'state', 'code', 'error', 'error_description', 'scopes', 'cursor'),
      text,
    );
    const connections = () => snapshot('SELECT * FROM tiktok_accounts ORDER BY open_id');
    const creators = () => snapshot('SELECT id, handle, status, verified_by FROM creators ORDER BY id');
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom('start', 'callback', 'videos'), async (q, which) => {
        cases++;
        const path = {
          start: '/v1/auth/tiktok/start',
          callback: '/v1/auth/tiktok/callback',
          videos: '/v1/me/tiktok/videos',
        }[which];
        const before = [await connections(), await creators()];
        const res = await call('GET', `${path}?${new URLSearchParams(q)}`, { token: viewer.token });
        expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
        // A start goes to TikTok only for a path of ours; nothing else writes a connection or a creator.
        if (which === 'start' && res.status === 302) {
          expect(new URL(res.headers.get('Location')!).pathname).toBe('/v2/auth/authorize/');
        }
        expect([await connections(), await creators()]).toEqual(before);
      }),
      { numRuns: 90 },
    );
  });

  it('PUT /v1/admin/verification and POST /v1/admin/creators/:handle/confirm-bio-code: any body', async () => {
    const { admin, creator } = await import('./helpers');
    const token = await admin();
    const typed = await creator('pending');
    const code = (await call('POST', '/v1/me/bio-code', { token: typed.token })).json.bioCode.code as string;
    const keys = fc.constantFrom('minFollowers', 'minVideos', 'autoApprove', 'requireVerification', 'other');
    const settings = () =>
      snapshot('SELECT min_followers, min_videos, auto_approve, require_verification FROM verification_settings');
    const verified = () => snapshot(`SELECT verified_by FROM creators WHERE handle = '${typed.handle}'`);
    const before = await settings();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.dictionary(keys, anyValue), anyValue), anyValue, async (body, guess) => {
        cases++;
        const put = await call('PUT', '/v1/admin/verification', { token, body });
        expect(put.status, put.text.slice(0, 300)).toBeLessThan(500);
        // Only whole counts in range and booleans are accepted; the row is put back after each accepted one.
        if (put.status === 200) {
          const b = body as Record<string, unknown>;
          for (const k of ['minFollowers', 'minVideos']) {
            if (k in b) expect(Number.isInteger(b[k]) && (b[k] as number) >= 0).toBe(true);
          }
          for (const k of ['autoApprove', 'requireVerification']) if (k in b) expect(typeof b[k]).toBe('boolean');
          await call('PUT', '/v1/admin/verification', {
            token,
            body: { minFollowers: 10_000, minVideos: 0, autoApprove: false, requireVerification: false },
          });
        }
        expect(await settings()).toBe(before);
        // A guessed code never verifies the claim.
        const res = await call('POST', `/v1/admin/creators/${typed.handle}/confirm-bio-code`, {
          token,
          body: { code: guess },
        });
        expect(res.status).toBeLessThan(500);
        if (guess !== code) expect(await verified()).toBe('[{"verified_by":null}]');
      }),
      { numRuns: 50 },
    );
  });

  it('POST /v1/me/credentials: any body, for an account without an email', async () => {
    const { connect, tiktokAccount } = await import('./tiktok-helpers');
    const { res } = await connect(null, await tiktokAccount(), { intent: 'signin' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-series_session='))!;
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const userId = (await call('GET', '/v1/me', { token })).json.user.id as string;
    const row = () => snapshot('SELECT email, password_hash FROM users WHERE id = ?', userId);
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 200)),
    );
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom('email', 'password', 'other'), fc.oneof(text, anyValue)),
      anyValue,
    );
    const before = await row();
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        cases++;
        const answer = await call('POST', '/v1/me/credentials', { token, body: b });
        expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
        // Nothing that is not an address (and a password of 10+ characters, if any) is written.
        expect(answer.status).not.toBe(200);
        expect(await row()).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  it('ran a meaningful number of cases', () => {
    console.log(`fuzz cases run: ${cases}`);
    expect(cases).toBeGreaterThanOrEqual(900);
  });
});
