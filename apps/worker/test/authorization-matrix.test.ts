import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../src/index';
import { SESSION_COOKIE } from '../src/auth/queries';
import { CLIENT_PATH } from '../src/storefront/client-routes';
import {
  addEpisode,
  admin,
  ADMIN_EMAIL,
  buy,
  call,
  creator,
  createSeries,
  idemKey,
  PASSWORD,
  publishedSeries,
  signup,
  startCheckout,
  submitCheckout,
  uniqueEmail,
  uniqueHandle,
} from './helpers';
import { fixture, uploadWhole } from './media-helpers';
import { exampleAnchors, publishAnchors } from './anchors-helpers';
import { multipart, uploadCover } from './images-helpers';

/**
 * Every route of the worker, walked as every kind of caller. Each row says what the route must answer
 * to each role; a route registered in the app but missing here fails the test, so no route can skip it.
 * Every 2xx answer is also searched for what belongs to someone else (emails, user ids, the buyer's
 * purchase, media locations).
 */

const ROLES = ['anonymous', 'viewer', 'buyer', 'otherCreator', 'pendingCreator', 'suspendedCreator', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Expect = Record<Role, number>;

interface Fixture {
  tokens: Record<Exclude<Role, 'anonymous'>, string>;
  emails: Record<Exclude<Role, 'anonymous'>, string>;
  userIds: Record<Exclude<Role, 'anonymous'>, string>;
  owner: { token: string; email: string; userId: string; handle: string };
  seriesId: string;
  trailerId: string;
  ep2: string;
  ep3: string;
  videoId: string;
  purchaseId: string;
  pendingCheckoutUrl: string;
  buyerCheckoutUrl: string;
  uploadId: string;
  mediaKey: string;
  ownerSessionId: string;
  grantPath: string;
  lookupPrefix: string;
  videoPrefix: string;
  seriesSlug: string;
}

interface Row {
  route: string;
  request: (
    f: Fixture,
    role: Role,
  ) =>
    | Promise<{
        path: string;
        body?: unknown;
        bytes?: Uint8Array;
        headers?: Record<string, string>;
        raw?: string;
        token?: string | null;
      }>
    | {
        path: string;
        body?: unknown;
        bytes?: Uint8Array;
        headers?: Record<string, string>;
        raw?: string;
        token?: string | null;
      };
  expect: Expect;
}

const all = (status: number, except: Partial<Expect> = {}): Expect =>
  Object.fromEntries(ROLES.map((r) => [r, except[r] ?? status])) as Expect;
/** Signed-in only. */
const signedIn = (status: number, except: Partial<Expect> = {}) => all(status, { anonymous: 401, ...except });
/** Creator routes on the owner's resources: others' creators see 404, non-creators 403. */
const ownersOnly = signedIn(404, { viewer: 403, buyer: 403, admin: 403 });
/** The caller's own creator data. */
const creatorsOwn = (status: number) => signedIn(status, { viewer: 403, buyer: 403, admin: 403 });
const adminOnly = (status: number) => signedIn(403, { admin: status });

/** A fresh session of the role's account, for routes that end sessions. */
async function freshToken(f: Fixture, role: Role): Promise<string | null> {
  if (role === 'anonymous') return null;
  const res = await call('POST', '/v1/auth/login', { body: { email: f.emails[role], password: PASSWORD } });
  return res.json.token;
}

let anchorsPublished: ReturnType<typeof publishAnchors> | null = null;

/** A promo code of the owner's. */
async function ownersCode(f: Fixture): Promise<string> {
  const made = await call('POST', '/v1/me/promo-codes', {
    token: f.owner.token,
    body: { code: `O${crypto.randomUUID().slice(0, 8)}`, kind: 'fixed', value: 10 },
  });
  return made.json.promoCode.id;
}

const MATRIX: Row[] = [
  { route: 'GET /healthz', request: () => ({ path: '/healthz' }), expect: all(200) },
  // The dashboard's page is public; what it shows comes from the API routes below.
  { route: 'GET /dashboard/*', request: () => ({ path: '/dashboard/analytics' }), expect: all(200) },
  {
    route: 'POST /v1/auth/signup',
    request: () => ({ path: '/v1/auth/signup', body: { email: uniqueEmail('m'), password: PASSWORD } }),
    expect: all(201),
  },
  {
    route: 'POST /v1/auth/login',
    request: async (f, r) => ({
      path: '/v1/auth/login',
      body: { email: r === 'anonymous' ? (await signup()).email : f.emails[r], password: PASSWORD },
    }),
    expect: all(200),
  },
  {
    route: 'POST /v1/auth/logout',
    request: async (f, r) => ({ path: '/v1/auth/logout', token: await freshToken(f, r) }),
    expect: all(200),
  },
  { route: 'GET /v1/me', request: () => ({ path: '/v1/me' }), expect: signedIn(200) },
  { route: 'GET /v1/me/sessions', request: () => ({ path: '/v1/me/sessions' }), expect: signedIn(200) },
  {
    route: 'DELETE /v1/me/sessions/:id',
    request: (f) => ({ path: `/v1/me/sessions/${f.ownerSessionId}` }),
    expect: signedIn(404),
  },
  {
    route: 'PUT /v1/me/password',
    request: () => ({
      path: '/v1/me/password',
      body: { currentPassword: 'not the password', newPassword: 'another long passphrase' },
    }),
    expect: signedIn(403),
  },
  { route: 'GET /v1/me/export', request: () => ({ path: '/v1/me/export' }), expect: signedIn(200) },
  // Verified addresses and forgotten passwords (issue 18): the same answer for every caller, known or not.
  {
    route: 'POST /v1/auth/password-reset',
    request: (f, r) => ({
      path: '/v1/auth/password-reset',
      body: { email: r === 'anonymous' ? uniqueEmail('nobody') : f.emails[r] },
    }),
    expect: all(202),
  },
  {
    route: 'POST /v1/auth/password-reset/confirm',
    request: () => ({ path: '/v1/auth/password-reset/confirm', body: { token: 'A'.repeat(43), password: PASSWORD } }),
    expect: all(400),
  },
  {
    route: 'POST /v1/auth/verify-email',
    request: () => ({ path: '/v1/auth/verify-email', body: { token: 'A'.repeat(43) } }),
    expect: all(400),
  },
  {
    route: 'POST /v1/me/email/verification',
    request: () => ({ path: '/v1/me/email/verification' }),
    expect: signedIn(202),
  },
  {
    route: 'PUT /v1/me/email',
    request: () => ({ path: '/v1/me/email', body: { email: uniqueEmail('move'), password: 'not the password' } }),
    expect: signedIn(403),
  },
  {
    route: 'PUT /v1/me/locale',
    request: () => ({ path: '/v1/me/locale', body: { locale: 'en' } }),
    expect: signedIn(200),
  },
  {
    route: 'GET /v1/me/notifications',
    request: () => ({ path: '/v1/me/notifications' }),
    expect: signedIn(200, { viewer: 403, buyer: 403, admin: 403 }),
  },
  {
    route: 'PUT /v1/me/notifications',
    request: () => ({ path: '/v1/me/notifications', body: { dailySummary: false } }),
    expect: signedIn(200, { viewer: 403, buyer: 403, admin: 403 }),
  },
  {
    route: 'GET /v1/admin/mail-failures',
    request: () => ({ path: '/v1/admin/mail-failures' }),
    expect: adminOnly(200),
  },
  // The local outbox (MAIL_PROVIDER=outbox in the tests; a plain 404 in a deploy), here one caller's own mails.
  {
    route: 'GET /outbox',
    request: (f, r) => ({
      path: `/outbox?to=${encodeURIComponent(r === 'anonymous' ? uniqueEmail('x') : f.emails[r])}`,
    }),
    expect: all(200),
  },
  { route: 'GET /outbox/:id', request: () => ({ path: '/outbox/mail_unknown' }), expect: all(404) },
  { route: 'GET /forgot-password', request: () => ({ path: '/forgot-password' }), expect: all(200) },
  {
    route: 'POST /forgot-password',
    request: () => ({
      path: '/forgot-password',
      raw: `email=${encodeURIComponent(uniqueEmail('form'))}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
    expect: all(200),
  },
  {
    route: 'GET /reset-password',
    request: () => ({ path: `/reset-password?token=${'A'.repeat(43)}` }),
    expect: all(400),
  },
  {
    route: 'POST /reset-password',
    request: () => ({
      path: '/reset-password',
      raw: `token=${'A'.repeat(43)}&password=${encodeURIComponent(PASSWORD)}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
    expect: all(400),
  },
  { route: 'GET /verify-email', request: () => ({ path: `/verify-email?token=${'A'.repeat(43)}` }), expect: all(400) },
  {
    route: 'DELETE /v1/me',
    request: () => ({ path: '/v1/me', body: { password: 'not the password' } }),
    expect: signedIn(403),
  },
  {
    route: 'POST /v1/creators',
    request: (f) => ({ path: '/v1/creators', body: { handle: f.owner.handle, displayName: 'Taken' } }),
    expect: signedIn(409),
  },
  { route: 'GET /v1/creators/:handle', request: (f) => ({ path: `/v1/creators/${f.owner.handle}` }), expect: all(200) },
  { route: 'GET /v1/admin/creators', request: () => ({ path: '/v1/admin/creators' }), expect: adminOnly(200) },
  {
    route: 'POST /v1/admin/creators/:handle/approve',
    request: async () => ({ path: `/v1/admin/creators/${(await creator('pending')).handle}/approve` }),
    expect: adminOnly(200),
  },
  {
    route: 'POST /v1/admin/creators/:handle/suspend',
    request: async () => ({ path: `/v1/admin/creators/${(await creator('approved')).handle}/suspend` }),
    expect: adminOnly(200),
  },
  {
    route: 'POST /v1/admin/creators/:handle/reject',
    request: async () => ({ path: `/v1/admin/creators/${(await creator('pending')).handle}/reject` }),
    expect: adminOnly(200),
  },
  {
    route: 'DELETE /v1/admin/episodes/:id/video',
    request: async () => {
      const owner = await creator('approved');
      const series = await createSeries(owner.token);
      const videoId = `7${String(Date.now()).slice(-12)}${Math.floor(Math.random() * 1e6)}`;
      const ep = await addEpisode(owner.token, series.id, { price: null, videoId });
      return { path: `/v1/admin/episodes/${ep.id}/video` };
    },
    expect: adminOnly(200),
  },
  // TikTok Login Kit: anyone may start (signed in it connects, signed out it signs in); a callback without a
  // state this browser started is refused for everyone.
  { route: 'GET /v1/auth/tiktok/start', request: () => ({ path: '/v1/auth/tiktok/start' }), expect: all(302) },
  {
    route: 'GET /v1/auth/tiktok/callback',
    request: () => ({ path: '/v1/auth/tiktok/callback?code=x' }),
    expect: all(400),
  },
  { route: 'GET /v1/me/tiktok', request: () => ({ path: '/v1/me/tiktok' }), expect: signedIn(200) },
  // Nobody in the fixture connected TikTok: there are no recent videos to offer yet.
  { route: 'GET /v1/me/tiktok/videos', request: () => ({ path: '/v1/me/tiktok/videos' }), expect: signedIn(409) },
  // Nobody in the fixture connected TikTok: there is nothing to check again.
  { route: 'POST /v1/me/tiktok/recheck', request: () => ({ path: '/v1/me/tiktok/recheck' }), expect: signedIn(409) },
  // An account made with "Continue with TikTok" adds its email once; every fixture account has one already.
  {
    route: 'POST /v1/me/credentials',
    request: () => ({ path: '/v1/me/credentials', body: { email: uniqueEmail('added') } }),
    expect: signedIn(409),
  },
  // The bio-code fallback: a creator with an unverified claim asks for a code; an admin confirms it.
  { route: 'GET /v1/me/bio-code', request: () => ({ path: '/v1/me/bio-code' }), expect: creatorsOwn(200) },
  { route: 'POST /v1/me/bio-code', request: () => ({ path: '/v1/me/bio-code' }), expect: creatorsOwn(201) },
  {
    route: 'POST /v1/admin/creators/:handle/confirm-bio-code',
    request: async () => {
      const typed = await creator('pending');
      const code = (await call('POST', '/v1/me/bio-code', { token: typed.token })).json.bioCode.code as string;
      return { path: `/v1/admin/creators/${typed.handle}/confirm-bio-code`, body: { code } };
    },
    expect: adminOnly(200),
  },
  { route: 'GET /v1/admin/verification', request: () => ({ path: '/v1/admin/verification' }), expect: adminOnly(200) },
  {
    route: 'PUT /v1/admin/verification',
    request: () => ({ path: '/v1/admin/verification', body: { minFollowers: 10_000 } }),
    expect: adminOnly(200),
  },
  { route: 'GET /v1/admin/commission', request: () => ({ path: '/v1/admin/commission' }), expect: adminOnly(200) },
  {
    route: 'PUT /v1/admin/commission',
    request: () => ({ path: '/v1/admin/commission', body: { bps: 0 } }),
    expect: adminOnly(200),
  },
  { route: 'GET /v1/admin/audit', request: () => ({ path: '/v1/admin/audit' }), expect: adminOnly(200) },
  // The commission in force is public: the dashboard's sign-in page says what creators keep.
  { route: 'GET /v1/commission', request: () => ({ path: '/v1/commission' }), expect: all(200) },
  // The extension's page anchors: public once an admin published a set (the request publishes one first).
  {
    route: 'GET /v1/extension/anchors',
    request: async () => {
      await (anchorsPublished ??= publishAnchors());
      return { path: '/v1/extension/anchors' };
    },
    expect: all(200),
  },
  {
    route: 'PUT /v1/admin/extension/anchors',
    request: () => ({ path: '/v1/admin/extension/anchors', body: { anchors: exampleAnchors } }),
    expect: adminOnly(201),
  },
  { route: 'GET /v1/admin/payouts', request: () => ({ path: '/v1/admin/payouts' }), expect: adminOnly(200) },
  {
    route: 'POST /v1/admin/payouts',
    request: (f) => ({
      path: '/v1/admin/payouts',
      body: { handle: f.owner.handle, month: new Date().toISOString().slice(0, 7), currency: 'USD' },
    }),
    expect: adminOnly(409),
  },
  {
    route: 'POST /v1/series',
    request: () => ({ path: '/v1/series', body: { title: 'Mine', currency: 'USD' } }),
    expect: creatorsOwn(201),
  },
  {
    route: 'PATCH /v1/series/:id',
    request: (f) => ({ path: `/v1/series/${f.seriesId}`, body: { title: 'Stolen' } }),
    expect: ownersOnly,
  },
  {
    route: 'PUT /v1/series/:id/cover',
    request: (f) => ({
      path: `/v1/series/${f.seriesId}/cover`,
      ...multipart({ image: { bytes: fixture('cover-300x400.png') } }),
    }),
    expect: ownersOnly,
  },
  {
    route: 'DELETE /v1/series/:id/cover',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/cover` }),
    expect: ownersOnly,
  },
  {
    route: 'PUT /v1/episodes/:id/thumbnail',
    request: (f) => ({
      path: `/v1/episodes/${f.ep2}/thumbnail`,
      ...multipart({ image: { bytes: fixture('cover-300x400.jpg') } }),
    }),
    expect: ownersOnly,
  },
  {
    route: 'DELETE /v1/episodes/:id/thumbnail',
    request: (f) => ({ path: `/v1/episodes/${f.ep2}/thumbnail` }),
    expect: ownersOnly,
  },
  {
    // A stored image is public (its name is unguessable and new at every upload).
    route: 'GET /v1/images/:name',
    request: async (f) => ({ path: new URL((await uploadCover(f.owner.token, f.seriesId)).json.cover.url).pathname }),
    expect: all(200),
  },
  {
    route: 'POST /v1/series/:id/publish',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/publish` }),
    expect: ownersOnly,
  },
  {
    route: 'POST /v1/series/:id/unpublish',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/unpublish` }),
    expect: ownersOnly,
  },
  { route: 'DELETE /v1/series/:id', request: (f) => ({ path: `/v1/series/${f.seriesId}` }), expect: ownersOnly },
  { route: 'GET /v1/me/series', request: () => ({ path: '/v1/me/series' }), expect: creatorsOwn(200) },
  { route: 'GET /v1/me/series/:id', request: (f) => ({ path: `/v1/me/series/${f.seriesId}` }), expect: ownersOnly },
  { route: 'GET /v1/series/:id', request: (f) => ({ path: `/v1/series/${f.seriesId}` }), expect: all(200) },
  {
    route: 'POST /v1/series/:id/episodes',
    request: (f) => ({
      path: `/v1/series/${f.seriesId}/episodes`,
      body: { title: 'X', durationSeconds: 60, price: null },
    }),
    expect: ownersOnly,
  },
  {
    route: 'PATCH /v1/episodes/:id',
    request: (f) => ({ path: `/v1/episodes/${f.ep2}`, body: { price: 18999 } }),
    expect: ownersOnly,
  },
  { route: 'DELETE /v1/episodes/:id', request: (f) => ({ path: `/v1/episodes/${f.ep3}` }), expect: ownersOnly },
  { route: 'GET /v1/videos/:videoId', request: (f) => ({ path: `/v1/videos/${f.videoId}` }), expect: all(200) },
  {
    route: 'GET /v1/series/:id/discounts',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/discounts` }),
    expect: ownersOnly,
  },
  {
    route: 'POST /v1/series/:id/discounts',
    request: (f) => ({
      path: `/v1/series/${f.seriesId}/discounts`,
      body: { scope: 'episodes', kind: 'percent', value: 5, endsAt: new Date(Date.now() + 3_600_000).toISOString() },
    }),
    expect: ownersOnly,
  },
  { route: 'GET /v1/me/promo-codes', request: () => ({ path: '/v1/me/promo-codes' }), expect: creatorsOwn(200) },
  {
    route: 'POST /v1/me/promo-codes',
    request: () => ({
      path: '/v1/me/promo-codes',
      body: { code: `M${crypto.randomUUID().slice(0, 8)}`, kind: 'percent', value: 10 },
    }),
    expect: creatorsOwn(201),
  },
  {
    // The owner's own code, which every other caller must not find.
    route: 'PATCH /v1/me/promo-codes/:id',
    request: async (f) => ({ path: `/v1/me/promo-codes/${await ownersCode(f)}`, body: { paused: true } }),
    expect: ownersOnly,
  },
  {
    route: 'GET /v1/me/promo-codes/:id/redemptions',
    request: async (f) => ({ path: `/v1/me/promo-codes/${await ownersCode(f)}/redemptions` }),
    expect: ownersOnly,
  },
  {
    // The owner's own discount, which every other caller must not find.
    route: 'DELETE /v1/discounts/:id',
    request: async (f) => {
      const made = await call('POST', `/v1/series/${f.seriesId}/discounts`, {
        token: f.owner.token,
        body: { scope: 'episodes', kind: 'percent', value: 5, endsAt: new Date(Date.now() + 3_600_000).toISOString() },
      });
      return { path: `/v1/discounts/${made.json.discount.id}` };
    },
    expect: ownersOnly,
  },
  {
    route: 'GET /v1/lookup/creators/:prefix',
    request: (f) => ({ path: `/v1/lookup/creators/${f.lookupPrefix}` }),
    expect: all(200),
  },
  {
    route: 'GET /v1/lookup/videos/:prefix',
    request: (f) => ({ path: `/v1/lookup/videos/${f.videoPrefix}` }),
    expect: all(200),
  },
  {
    route: 'POST /v1/checkout',
    request: (f) => ({ path: '/v1/checkout', body: { episodeId: f.ep3 }, headers: { 'Idempotency-Key': idemKey() } }),
    expect: signedIn(201),
  },
  { route: 'GET /v1/me/purchases', request: () => ({ path: '/v1/me/purchases' }), expect: signedIn(200) },
  // Gifts (issue 20): the giver's list and actions on their own gifts (anyone else's is a 404); a claim link.
  { route: 'GET /v1/me/gifts', request: () => ({ path: '/v1/me/gifts' }), expect: signedIn(200) },
  {
    route: 'POST /v1/gifts/claim',
    request: () => ({ path: '/v1/gifts/claim', body: { token: 'A'.repeat(43) } }),
    expect: signedIn(404),
  },
  {
    // Just sent: re-sending waits 10 minutes (the buyer's own gift), anyone else's is not found.
    route: 'POST /v1/me/gifts/:id/resend',
    request: async (f) => ({ path: `/v1/me/gifts/${await buyersGift(f)}/resend` }),
    expect: signedIn(404, { buyer: 429 }),
  },
  {
    route: 'POST /v1/me/gifts/:id/refund',
    request: async (f) => ({ path: `/v1/me/gifts/${await buyersGift(f)}/refund` }),
    expect: signedIn(404, { buyer: 200 }),
  },
  // The claim page: anyone may open a link (it names the gift, never who owns what); an unknown one says so.
  { route: 'GET /gift', request: () => ({ path: `/gift?token=${'A'.repeat(43)}` }), expect: all(404) },
  // The dashboard's texts in a language: public, the same for everyone.
  { route: 'GET /v1/texts/dashboard', request: () => ({ path: '/v1/texts/dashboard?lang=fr' }), expect: all(200) },
  // The storefront's short account page (its "sign out everywhere" is with the last rows: it ends sessions).
  { route: 'GET /account', request: (f, r) => ({ path: '/account', ...cookieOf(f, r) }), expect: all(200) },
  // Refunds (issue 18): the creator of the sale or an admin refunds (another creator: 404); buyers ask.
  {
    route: 'GET /v1/refund-requests',
    request: () => ({ path: '/v1/refund-requests' }),
    expect: signedIn(200, { viewer: 403, buyer: 403 }),
  },
  {
    route: 'POST /v1/sales/:id/refunds',
    request: async (f) => ({
      path: `/v1/sales/${await buy((await signup()).token, { episodeId: f.ep2 })}/refunds`,
      body: { amount: 1 },
      headers: { 'Idempotency-Key': idemKey() },
    }),
    expect: signedIn(404, { viewer: 403, buyer: 403, admin: 201 }),
  },
  {
    route: 'POST /v1/refund-requests/:id/grant',
    request: async (f) => ({ path: `/v1/refund-requests/${await refundRequestOf(f)}/grant`, body: {} }),
    expect: signedIn(404, { viewer: 403, buyer: 403, admin: 200 }),
  },
  {
    route: 'POST /v1/refund-requests/:id/decline',
    request: async (f) => ({ path: `/v1/refund-requests/${await refundRequestOf(f)}/decline` }),
    expect: signedIn(404, { viewer: 403, buyer: 403, admin: 200 }),
  },
  {
    route: 'POST /v1/purchases/:id/refund-request',
    request: (f) => ({ path: `/v1/purchases/${f.purchaseId}/refund-request`, body: { reason: 'It does not play' } }),
    expect: signedIn(404, { buyer: 201 }),
  },
  {
    route: 'POST /receipts/:id/refund-request',
    // The page's form (the session cookie): someone else's receipt is the 404 page; the buyer's asked already.
    request: (f, r) => ({
      path: `/receipts/${f.purchaseId}/refund-request`,
      raw: 'reason=It+does+not+play',
      ...cookieOf(f, r),
      headers: { ...cookieOf(f, r).headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
    expect: all(404, { buyer: 409 }),
  },
  {
    route: 'GET /v1/purchases/:id/refund-request',
    request: (f) => ({ path: `/v1/purchases/${f.purchaseId}/refund-request` }),
    expect: signedIn(404, { buyer: 200 }),
  },
  {
    route: 'GET /v1/purchases/:id',
    request: (f) => ({ path: `/v1/purchases/${f.purchaseId}` }),
    expect: signedIn(404, { buyer: 200 }),
  },
  {
    route: 'GET /v1/episodes/:id/access',
    request: (f) => ({ path: `/v1/episodes/${f.ep2}/access` }),
    expect: signedIn(402, { buyer: 200 }),
  },
  {
    route: 'GET /v1/media/:id',
    request: (f) => ({ path: f.grantPath }),
    expect: all(403, { anonymous: 200, buyer: 200 }),
  },
  {
    route: 'POST /v1/episodes/:id/uploads',
    request: (f) => ({ path: `/v1/episodes/${f.ep2}/uploads`, body: { size: 100 } }),
    expect: ownersOnly,
  },
  {
    route: 'PUT /v1/episodes/:id/media',
    request: (f) => ({ path: `/v1/episodes/${f.ep2}/media`, bytes: fixture('clip-3s.mp4') }),
    expect: ownersOnly,
  },
  { route: 'GET /v1/uploads/:id', request: (f) => ({ path: `/v1/uploads/${f.uploadId}` }), expect: ownersOnly },
  {
    route: 'PUT /v1/uploads/:id/parts/:partNumber',
    request: (f) => ({ path: `/v1/uploads/${f.uploadId}/parts/1`, bytes: new Uint8Array(100) }),
    expect: ownersOnly,
  },
  {
    route: 'POST /v1/uploads/:id/complete',
    request: (f) => ({ path: `/v1/uploads/${f.uploadId}/complete` }),
    expect: ownersOnly,
  },
  { route: 'DELETE /v1/uploads/:id', request: (f) => ({ path: `/v1/uploads/${f.uploadId}` }), expect: ownersOnly },
  { route: 'GET /v1/analytics/summary', request: () => ({ path: '/v1/analytics/summary' }), expect: creatorsOwn(200) },
  {
    route: 'GET /v1/analytics/episodes',
    request: () => ({ path: '/v1/analytics/episodes' }),
    expect: creatorsOwn(200),
  },
  { route: 'GET /v1/analytics/daily', request: () => ({ path: '/v1/analytics/daily' }), expect: creatorsOwn(200) },
  { route: 'GET /v1/analytics/funnel', request: () => ({ path: '/v1/analytics/funnel' }), expect: creatorsOwn(200) },
  { route: 'GET /v1/payouts', request: () => ({ path: '/v1/payouts' }), expect: creatorsOwn(200) },
  {
    route: 'GET /v1/payouts/purchases',
    request: () => ({ path: `/v1/payouts/purchases?month=${new Date().toISOString().slice(0, 7)}` }),
    expect: creatorsOwn(200),
  },
  { route: 'POST /v1/views', request: (f) => ({ path: '/v1/views', body: { episodeIds: [f.ep2] } }), expect: all(202) },
  {
    route: 'POST /v1/webhooks/stripe',
    request: () => ({
      path: '/v1/webhooks/stripe',
      body: { id: 'evt_x' },
      headers: { 'Stripe-Signature': 't=1,v1=00' },
    }),
    expect: all(404),
  },
  { route: 'GET /v1/me/stripe', request: () => ({ path: '/v1/me/stripe' }), expect: creatorsOwn(200) },
  {
    route: 'POST /v1/me/stripe/onboarding',
    request: () => ({ path: '/v1/me/stripe/onboarding', body: {} }),
    expect: creatorsOwn(409),
  },
  {
    route: 'GET /checkout/:id/:action?',
    request: (f) => ({ path: new URL(f.buyerCheckoutUrl).pathname + new URL(f.buyerCheckoutUrl).search }),
    expect: all(200),
  },
  {
    route: 'POST /checkout/:id/:action?',
    request: (f) => {
      const url = new URL(f.pendingCheckoutUrl);
      return {
        path: `${url.pathname}/pay`,
        raw: new URLSearchParams({ sig: url.searchParams.get('sig')! }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      };
    },
    expect: all(303),
  },
  // Last: it ends every session of each role's account.
  // The storefront: public pages for everyone; the private ones read the session cookie, as a browser sends it.
  { route: 'GET /', request: () => ({ path: '/' }), expect: all(200) },
  { route: 'GET /robots.txt', request: () => ({ path: '/robots.txt' }), expect: all(200) },
  { route: 'GET /privacy', request: () => ({ path: '/privacy' }), expect: all(200) },
  { route: 'GET /storefront/:file{app\\.[0-9a-f]{12}\\.js}', request: () => ({ path: CLIENT_PATH }), expect: all(200) },
  { route: 'GET /:handle{@[^/]*}', request: (f) => ({ path: `/@${f.owner.handle}` }), expect: all(200) },
  {
    route: 'GET /:handle{@[^/]*}/:address',
    request: (f) => ({ path: `/@${f.owner.handle}/${f.seriesSlug}` }),
    expect: all(200),
  },
  {
    route: 'GET /:handle{@[^/]*}/:address/reviews',
    request: (f) => ({ path: `/@${f.owner.handle}/${f.seriesSlug}/reviews?before=rev_aaaaaaaaaaaaaaaaaaaaaa` }),
    expect: all(200),
  },
  {
    route: 'GET /:handle{@[^/]*}/:address/:number',
    request: (f) => ({ path: `/@${f.owner.handle}/${f.seriesSlug}/2` }),
    expect: all(200),
  },
  { route: 'GET /library', request: (f, r) => ({ path: '/library', ...cookieOf(f, r) }), expect: all(200) },
  {
    route: 'GET /receipts/:id',
    request: (f, r) => ({ path: `/receipts/${f.purchaseId}`, ...cookieOf(f, r) }),
    // Signed out, the page asks to sign in; signed in, it is the buyer's receipt or the 404 page.
    expect: all(404, { anonymous: 200, buyer: 200 }),
  },
  { route: 'GET /v1/viewer', request: (f) => ({ path: `/v1/viewer?seriesId=${f.seriesId}` }), expect: all(200) },
  {
    route: 'POST /v1/views/storefront',
    request: (f) => ({ path: '/v1/views/storefront', body: { handle: f.owner.handle, source: 'bio' } }),
    expect: all(202),
  },
  // Ratings (issue 21): only buyers rate; the series' creator replies.
  {
    route: 'GET /v1/series/:id/reviews',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/reviews` }),
    expect: all(200),
  },
  {
    route: 'GET /v1/series/:id/reviews/older/:before',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/reviews/older/rev_aaaaaaaaaaaaaaaaaaaaaa` }),
    expect: all(200),
  },
  {
    route: 'POST /v1/series/:id/reviews',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/reviews`, body: { stars: 4 } }),
    // The buyer's first rating; anyone else is not a buyer.
    expect: signedIn(403, { buyer: 201 }),
  },
  {
    route: 'GET /v1/series/:id/reviews/mine',
    request: (f) => ({ path: `/v1/series/${f.seriesId}/reviews/mine` }),
    expect: signedIn(200),
  },
  {
    route: 'PUT /v1/reviews/:id',
    request: async (f) => ({ path: `/v1/reviews/${await buyerReview(f)}`, body: { stars: 5, text: 'Edited' } }),
    expect: signedIn(404, { buyer: 200 }),
  },
  {
    route: 'POST /v1/reviews/:id/reply',
    request: async (f) => ({ path: `/v1/reviews/${await buyerReview(f)}/reply`, body: { text: 'Thank you!' } }),
    expect: ownersOnly,
  },
  {
    route: 'GET /v1/me/series/:id/reviews',
    request: (f) => ({ path: `/v1/me/series/${f.seriesId}/reviews` }),
    expect: ownersOnly,
  },
  // Review before going live, takedowns and reports (issue 21). Nothing of the fixture waits for review.
  {
    route: 'GET /v1/admin/settings/review',
    request: () => ({ path: '/v1/admin/settings/review' }),
    expect: adminOnly(200),
  },
  {
    route: 'PUT /v1/admin/settings/review',
    request: () => ({ path: '/v1/admin/settings/review', body: { reviewRequired: false } }),
    expect: adminOnly(200),
  },
  { route: 'GET /v1/admin/review-queue', request: () => ({ path: '/v1/admin/review-queue' }), expect: adminOnly(200) },
  {
    route: 'POST /v1/admin/review-queue/series/:id/:decision{approve|reject}',
    request: (f) => ({ path: `/v1/admin/review-queue/series/${f.seriesId}/approve` }),
    expect: adminOnly(409),
  },
  {
    route: 'POST /v1/admin/review-queue/revisions/:id/:decision{approve|reject}',
    request: (f) => ({ path: `/v1/admin/review-queue/revisions/${f.seriesId}/reject`, body: { reason: 'No' } }),
    expect: adminOnly(409),
  },
  {
    route: 'POST /v1/admin/review-queue/episodes/:id/:decision{approve|reject}',
    request: (f) => ({ path: `/v1/admin/review-queue/episodes/${f.ep2}/approve` }),
    expect: adminOnly(409),
  },
  {
    route: 'POST /v1/admin/series/:id/takedown',
    // The admin takes down a draft of the owner's made for it (the fixture's series stays on sale).
    request: async (f, r) => ({
      path: `/v1/admin/series/${r === 'admin' ? (await createSeries(f.owner.token)).id : f.seriesId}/takedown`,
      body: { reason: 'Stolen content' },
    }),
    expect: adminOnly(200),
  },
  {
    route: 'POST /v1/reports',
    request: (f) => ({ path: '/v1/reports', body: { target: { kind: 'series', id: f.seriesId }, reason: 'spam' } }),
    expect: signedIn(201),
  },
  { route: 'GET /v1/admin/reports', request: () => ({ path: '/v1/admin/reports' }), expect: adminOnly(200) },
  {
    route: 'POST /v1/admin/reports/:id/resolve',
    request: async (f) => ({ path: `/v1/admin/reports/${await openReport(f)}/resolve`, body: { action: 'dismiss' } }),
    expect: adminOnly(200),
  },
  // The storefront's "sign out everywhere": it ends every session of each role too.
  {
    route: 'POST /account/sign-out-everywhere',
    request: async (f, r) => {
      const token = await freshToken(f, r);
      return {
        path: '/account/sign-out-everywhere',
        token: null,
        headers: token ? { Cookie: `${SESSION_COOKIE}=${token}` } : {},
      };
    },
    expect: all(200),
  },
  // Last: it ends every session of each role.
  {
    route: 'POST /v1/auth/logout-all',
    request: async (f, r) => ({ path: '/v1/auth/logout-all', token: await freshToken(f, r) }),
    expect: signedIn(200),
  },
];

/** A fresh buyer's pending refund request on the owner's series (its id), for the rows that answer one. */
/** A gift the buyer role paid for, mailed to someone with no account here. */
async function buyersGift(f: Fixture): Promise<string> {
  const res = await call('POST', '/v1/checkout', {
    token: f.tokens.buyer,
    body: { episodeId: f.ep2, gift: { email: uniqueEmail('giftee') } },
    headers: { 'Idempotency-Key': idemKey() },
  });
  if (res.status !== 201) throw new Error(`gift checkout failed: ${res.status} ${res.text}`);
  const paid = await submitCheckout(res.json.checkoutUrl);
  if (paid.status !== 303) throw new Error(`gift payment failed: ${paid.status} ${paid.text}`);
  await env.DB.prepare('UPDATE gifts SET sent_at = ?2 WHERE purchase_id = ?1 AND sent_at IS NULL')
    .bind(res.json.purchaseId, Date.now())
    .run();
  return res.json.purchaseId;
}

async function refundRequestOf(f: Fixture): Promise<string> {
  const buyer = await signup();
  const purchaseId = await buy(buyer.token, { episodeId: f.ep2 });
  const asked = await call('POST', `/v1/purchases/${purchaseId}/refund-request`, {
    token: buyer.token,
    body: { reason: 'It does not play' },
  });
  return asked.json.request.id as string;
}

let reported: Promise<string> | null = null;
/** A report of the fixture's episode by the viewer (made on first use), for the route that resolves one. */
function openReport(f: Fixture): Promise<string> {
  reported ??= call('POST', '/v1/reports', {
    token: f.tokens.viewer,
    body: { target: { kind: 'episode', id: f.ep2 }, reason: 'other', text: 'Checking' },
  }).then((res) => res.json.report.id as string);
  return reported;
}

/** The buyer's rating of the fixture's series (made on first use), for the routes that edit or answer it. */
async function buyerReview(f: Fixture): Promise<string> {
  const token = f.tokens.buyer;
  const mine = await call('GET', `/v1/series/${f.seriesId}/reviews/mine`, { token });
  if (mine.json.review) return mine.json.review.id;
  return (await call('POST', `/v1/series/${f.seriesId}/reviews`, { token, body: { stars: 3 } })).json.review.id;
}

/** The role's session as the browser's cookie (storefront pages do not read bearer tokens). */
function cookieOf(f: Fixture, role: Role) {
  return role === 'anonymous'
    ? { token: null }
    : { token: null, headers: { Cookie: `${SESSION_COOKIE}=${f.tokens[role]}` } };
}

let f: Fixture;

beforeAll(async () => {
  const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
  const videoId = String(7_100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e12)));
  await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { videoId } });
  expect((await uploadWhole(owner.token, ep2.id, fixture('clip-3s.mp4'))).status).toBe(200);
  const upload = await call('POST', `/v1/episodes/${ep3.id}/uploads`, { token: owner.token, body: { size: 100 } });

  const viewer = await signup();
  const buyer = await signup();
  const purchaseId = await buy(buyer.token, { episodeId: ep2.id });
  const buyerPurchase = await call('POST', '/v1/checkout', {
    token: buyer.token,
    body: { seriesId: series.id },
    headers: { 'Idempotency-Key': idemKey() },
  });
  const pending = await startCheckout(buyer.token, { episodeId: ep3.id });
  const otherCreator = await creator('approved');
  const pendingCreator = await creator('pending');
  const suspendedCreator = await creator('suspended');
  const adminToken = await admin();
  const grant = await call('GET', `/v1/episodes/${ep2.id}/access`, { token: buyer.token });
  const grantUrl = new URL(grant.json.playbackUrl);
  const ownerMe = await call('GET', '/v1/me/sessions', { token: owner.token });
  const me = async (token: string) =>
    (await call('GET', '/v1/me', { token })).json.user as { id: string; email: string };
  const mediaKey = (await env.DB.prepare('SELECT media_key FROM episodes WHERE id = ?')
    .bind(ep2.id)
    .first<{ media_key: string }>())!.media_key;
  const hex = async (s: string) =>
    [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
  const roleAccounts = { viewer, buyer, otherCreator, pendingCreator, suspendedCreator };
  const tokens = {
    ...Object.fromEntries(Object.entries(roleAccounts).map(([k, v]) => [k, v.token])),
    admin: adminToken,
  } as Fixture['tokens'];
  const emails = {
    ...Object.fromEntries(Object.entries(roleAccounts).map(([k, v]) => [k, v.email])),
    admin: ADMIN_EMAIL,
  } as Fixture['emails'];
  const userIds = {} as Fixture['userIds'];
  for (const role of Object.keys(tokens) as (keyof Fixture['tokens'])[]) userIds[role] = (await me(tokens[role])).id;
  f = {
    tokens,
    emails,
    userIds,
    owner: { token: owner.token, email: owner.email, userId: owner.user.id, handle: owner.handle },
    seriesId: series.id,
    trailerId: trailer.id,
    ep2: ep2.id,
    ep3: ep3.id,
    videoId,
    purchaseId,
    pendingCheckoutUrl: pending.json.checkoutUrl,
    buyerCheckoutUrl: buyerPurchase.json.checkoutUrl,
    uploadId: upload.json.upload.id,
    mediaKey,
    ownerSessionId: ownerMe.json.sessions[0].id,
    grantPath: grantUrl.pathname + grantUrl.search,
    lookupPrefix: (await hex(owner.handle)).slice(0, 5),
    videoPrefix: (await hex(videoId)).slice(0, 5),
    seriesSlug: series.slug,
  };
}, 60_000);

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

describe('authorization matrix', () => {
  it('lists every route of the app', () => {
    const registered = new Set(app.routes.filter((r) => METHODS.has(r.method)).map((r) => `${r.method} ${r.path}`));
    const listed = new Set(MATRIX.map((r) => r.route));
    expect(
      [...registered].filter((r) => !listed.has(r)),
      'routes missing from the matrix',
    ).toEqual([]);
    expect(
      [...listed].filter((r) => !registered.has(r)),
      'matrix rows for routes that do not exist',
    ).toEqual([]);
  });

  for (const row of MATRIX) {
    it(row.route, async () => {
      const [method] = row.route.split(' ') as [string];
      const got: Partial<Record<Role, number>> = {};
      for (const role of ROLES) {
        const req = await row.request(f, role);
        const token = 'token' in req ? req.token : role === 'anonymous' ? null : f.tokens[role];
        const res = await call(method, req.path, {
          token,
          body: req.body,
          bytes: req.bytes,
          raw: req.raw,
          headers: req.headers,
        });
        got[role] = res.status;
        expect(res.status, `${role}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status < 400) expectNoLeak(role, res.text);
      }
      expect(got).toEqual(row.expect);
    });
  }
});

/** What one caller may never see of others: their emails and user ids, the buyer's purchase, where media is stored. */
function expectNoLeak(role: Role, text: string) {
  expect(text, 'media location leaked').not.toContain(f.mediaKey);
  expect(text).not.toContain('token_hash');
  const others = (['viewer', 'buyer', 'otherCreator', 'pendingCreator', 'suspendedCreator'] as const).filter(
    (r) => r !== role,
  );
  for (const other of others) {
    // Admins see creators' emails in the rollout list; nobody sees a viewer's.
    const adminMaySee = role === 'admin' && other.endsWith('Creator');
    if (!adminMaySee) expect(text, `${role} sees ${other}'s email`).not.toContain(f.emails[other]);
    expect(text, `${role} sees ${other}'s user id`).not.toContain(f.userIds[other]);
  }
  if (role !== 'admin') expect(text, `${role} sees the owner's email`).not.toContain(f.owner.email);
  expect(text, `${role} sees the owner's user id`).not.toContain(f.owner.userId);
  if (role !== 'buyer') expect(text, `${role} sees the buyer's purchase`).not.toContain(f.purchaseId);
}
