import {
  handleSchema,
  isSeriesSlug,
  purchaseIdSchema,
  refundRequestSchema,
  reviewIdSchema,
  translator,
} from '@series/core';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { findSession, SESSION_COOKIE } from '../auth/queries.js';
import { findCreatorWithSeries } from '../creators/queries.js';
import { NO_STORE, PUBLIC_CACHE } from '../lib/cache.js';
import { pickLocale } from '../lib/locale.js';
import { cachePublic } from '../lib/public-cache.js';
import { isOnSale } from '../lib/rules.js';
import { findReceipt, libraryOrder, listLibrary } from '../ledger/queries.js';
import { firstInLedgers, fromEveryLedger, ledgerFor } from '../ledger/placement.js';
import { groupBySeries } from '../episodes/queries.js';
import { toPublicSeries } from '../series/queries.js';
import { clientRoutes } from './client-routes.js';
import { recoveryPageRoutes } from './recovery-routes.js';
import { profileRoutes } from './profile-routes.js';
import { giftPageRoutes } from './gift-routes.js';
import { askForRefund, receiptRefundOf } from '../purchases/refund-requests.js';
import { ApiError } from '../lib/errors.js';
import { localeVariant, withLocale, type StorefrontEnv } from './locale.js';
import { ReceiptPage, LibraryPage } from './pages/account.js';
import { CreatorPage, EpisodePage, ReviewsPage, SeriesPage } from './pages/catalogue.js';
import { creatorPath, episodesOf, seriesPath } from './pages/parts.js';
import { HomePage, NotFoundPage } from './pages/simple.js';
import { PrivacyPage } from './pages/privacy.js';
import { findSeriesByAddress, ownsAnyOf, seriesOwnedFrom } from './queries.js';
import { STOREFRONT_CSS } from './styles.js';

/** Public pages may be kept a minute at the edge and half a minute by browsers, like the public lookups. */
export const PAGE_CACHE = 'public, max-age=30, s-maxage=60';

let styleHash: Promise<string> | undefined;
async function contentSecurityPolicy() {
  styleHash ??= crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(STOREFRONT_CSS))
    .then((d) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(d)))}'`);
  // Scripts only from our origin (no inline script runs); the one inline stylesheet by its hash; covers are
  // the creators' https images; video, API calls and forms stay on this origin.
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${await styleHash}`,
    "img-src 'self' https: data:",
    "media-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const pageHeaders = createMiddleware<StorefrontEnv>(async (c, next) => {
  await next();
  if (c.res.headers.get('Content-Type')?.startsWith('text/html')) {
    c.res.headers.set('Content-Security-Policy', await contentSecurityPolicy());
  }
});

/** The origin pages link to in canonical and OpenGraph URLs (cached pages must not depend on who asked). */
const siteOrigin = (c: Context<StorefrontEnv>) => c.env.SITE_ORIGIN || new URL(c.req.url).origin;

async function viewerOf(c: Context<StorefrontEnv>) {
  const token = getCookie(c, SESSION_COOKIE);
  return token ? await findSession(c.env.DB, token) : null;
}

function notFoundPage(c: Context<StorefrontEnv>) {
  c.header('Cache-Control', NO_STORE);
  return c.html(<NotFoundPage t={c.var.t} path={new URL(c.req.url).pathname} />, 404);
}

/**
 * A browser navigating to an address nothing answers gets the 404 page, in its language; API clients keep
 * the JSON error (the app's `notFound` decides).
 */
export async function notFoundDocument(c: Context): Promise<Response> {
  const t = translator(pickLocale(c).locale);
  const res = c.html(<NotFoundPage t={t} path={new URL(c.req.url).pathname} />, 404);
  const page = await res;
  page.headers.set('Cache-Control', NO_STORE);
  page.headers.set('Content-Security-Policy', await contentSecurityPolicy());
  return page;
}

export const wantsPage = (c: Context) =>
  (c.req.method === 'GET' || c.req.method === 'HEAD') &&
  !c.req.path.startsWith('/v1/') &&
  /text\/html/.test(c.req.header('Accept') ?? '');

/** `@Name` → `name`, or null when it cannot be a handle at all (a 404, never a 500). */
function parseHandle(segment: string): string | null {
  if (!segment.startsWith('@')) return null;
  const parsed = handleSchema.safeParse(segment.slice(1));
  return parsed.success && !segment.slice(1).startsWith('@') ? parsed.data : null;
}

const permanent = (c: Context, path: string) => c.redirect(`${path}${new URL(c.req.url).search}`, 301);
/** A redirect that may end (a former handle, until someone else verifies it): cached a minute at most. */
const temporary = (c: Context, path: string) => {
  c.header('Cache-Control', 'public, max-age=60');
  return c.redirect(`${path}${new URL(c.req.url).search}`, 302);
};

type SeriesFound = Exclude<NonNullable<Awaited<ReturnType<typeof findSeriesByAddress>>>, { movedTo: string }>;

/**
 * The series at `/@handle/<address>`, if this viewer may see it: on sale (public, cacheable), or off sale to
 * a buyer of it (private). Otherwise null: the 404 page.
 */
async function visibleSeries(c: Context<StorefrontEnv>, handle: string, address: string, reviewsBefore?: string) {
  if (!isSeriesSlug(address)) return null;
  const found = await findSeriesByAddress(c.env.DB, handle, address, reviewsBefore);
  if (!found) return null;
  // A renamed verified creator's former handle: the caller sends the browser to the same page under the new one.
  if (found.movedTo !== undefined) return { movedTo: found.movedTo };
  const onSale = isOnSale(found.series.status, found.series.creator_sells);
  if (!onSale) {
    const viewer = await viewerOf(c);
    if (!viewer || !(await ownsAnyOf(c.env.DB, viewer.user.id, found.series.id))) return null;
  }
  return { ...found, onSale };
}

function publicSeriesOf(found: SeriesFound) {
  return toPublicSeries(found.series, found.episodes, found.series);
}

const pages = cachePublic(localeVariant);

export const storefrontRoutes = new Hono<StorefrontEnv>({ strict: false })
  .route('/', clientRoutes)
  .get('/robots.txt', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.text(
      [
        'User-agent: *',
        'Allow: /',
        'Disallow: /library',
        'Disallow: /receipts/',
        'Disallow: /reset-password',
        'Disallow: /account',
        'Disallow: /verify-email',
        'Disallow: /checkout/',
        'Disallow: /v1/',
        'Disallow: /dashboard/',
        '',
      ].join('\n'),
      200,
    );
  })
  .use('/', withLocale, pageHeaders)
  .use('/library', withLocale, pageHeaders)
  .use('/receipts/*', withLocale, pageHeaders)
  .use('/privacy', withLocale, pageHeaders)
  .use('/forgot-password', withLocale, pageHeaders)
  .use('/reset-password', withLocale, pageHeaders)
  .use('/verify-email', withLocale, pageHeaders)
  .route('/', recoveryPageRoutes)
  .use('/account', withLocale, pageHeaders)
  .use('/account/*', withLocale, pageHeaders)
  .route('/', profileRoutes)
  .use('/gift', withLocale, pageHeaders)
  .route('/', giftPageRoutes)
  .use('/:handle{@[^/]*}', withLocale, pageHeaders)
  .use('/:handle{@[^/]*}/*', withLocale, pageHeaders)
  .get('/', pages, (c) => {
    c.header('Cache-Control', PAGE_CACHE);
    return c.html(<HomePage t={c.var.t} origin={siteOrigin(c)} />, 200);
  })
  .get('/privacy', pages, (c) => {
    c.header('Cache-Control', PAGE_CACHE);
    return c.html(<PrivacyPage t={c.var.t} origin={siteOrigin(c)} />, 200);
  })
  .get('/library', async (c) => {
    const viewer = await viewerOf(c);
    // A buyer's purchases span creators: every ledger is asked at once (one, today).
    const rows = viewer
      ? (await fromEveryLedger(c.env, (db) => listLibrary(db, viewer.user.id))).sort(libraryOrder)
      : [];
    c.header('Cache-Control', NO_STORE);
    return c.html(<LibraryPage t={c.var.t} rows={rows} signedIn={!!viewer} />, 200);
  })
  .get('/receipts/:id', async (c) => {
    const id = c.req.param('id');
    if (!purchaseIdSchema.safeParse(id).success) return notFoundPage(c);
    const viewer = await viewerOf(c);
    const path = `/receipts/${id}`;
    c.header('Cache-Control', NO_STORE);
    // Signed out: ask to sign in (the page reloads into the receipt). Signed in: the buyer's own, or 404.
    if (!viewer) return c.html(<ReceiptPage t={c.var.t} row={null} path={path} />, 200);
    const row = await firstInLedgers(c.env, (db) => findReceipt(db, id, viewer.user.id));
    if (!row) return notFoundPage(c);
    // The buyer's refund request and its answer, or the form to ask within 14 days.
    const refund = await receiptRefundOf(ledgerFor(c.env, row.creator_id), row);
    return c.html(<ReceiptPage t={c.var.t} row={row} path={path} refund={refund} />, 200);
  })
  .post('/receipts/:id/refund-request', async (c) => {
    const id = c.req.param('id');
    if (!purchaseIdSchema.safeParse(id).success) return notFoundPage(c);
    const viewer = await viewerOf(c);
    const origin = c.req.header('Origin');
    const site = c.req.header('Sec-Fetch-Site');
    const foreign = origin && origin !== new URL(c.req.url).origin && !(origin === 'null' && site === 'same-origin');
    if (!viewer || foreign || site === 'cross-site' || site === 'same-site') return notFoundPage(c);
    const row = await firstInLedgers(c.env, (db) => findReceipt(db, id, viewer.user.id));
    if (!row) return notFoundPage(c);
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const parsed = refundRequestSchema.safeParse({ reason: typeof body.reason === 'string' ? body.reason : '' });
    const path = `/receipts/${id}`;
    c.header('Cache-Control', NO_STORE);
    const again = async (error: string, status: 400 | 409) =>
      c.html(
        <ReceiptPage
          t={c.var.t}
          row={row}
          path={path}
          refund={{ ...(await receiptRefundOf(ledgerFor(c.env, row.creator_id), row)), error }}
        />,
        status,
      );
    if (!parsed.success) return again(c.var.t.t('receipt.refund.error.reason'), 400);
    try {
      await askForRefund(c, id, viewer.user.id, parsed.data.reason);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return again(c.var.t.t('receipt.refund.error.closed'), 409);
      throw err;
    }
    return c.redirect(`${path}#refund`, 303);
  })
  .get('/:handle{@[^/]*}', pages, async (c) => {
    const segment = c.req.param('handle');
    const handle = parseHandle(segment);
    if (!handle) return notFoundPage(c);
    if (segment !== `@${handle}`) return permanent(c, creatorPath(handle));
    const db = c.env.DB;
    // The creator and their public series in one round trip: a page not in the cache costs one.
    const found = await findCreatorWithSeries(db, handle);
    if (!found) return notFoundPage(c);
    // A verified creator renamed on TikTok: the former handle's links lead to the new one (302: until someone
    // else verifies that handle).
    if (!found.creator) return temporary(c, creatorPath(found.movedTo));
    const { creator } = found;
    const who = { handle: creator.handle, displayName: creator.display_name, verified: creator.verified_by ?? null };
    if (creator.status === 'approved') {
      c.header('Cache-Control', PAGE_CACHE);
      return c.html(<CreatorPage t={c.var.t} origin={siteOrigin(c)} creator={who} series={found.series} onSale />, 200);
    }
    // Unapproved or suspended: nobody sees it, except a buyer, who sees what they bought.
    const viewer = await viewerOf(c);
    const owned = viewer ? await seriesOwnedFrom(db, viewer.user.id, creator.id) : null;
    if (!owned?.series.length) return notFoundPage(c);
    const bySeries = groupBySeries(owned.episodes);
    const series = owned.series.map((s) => toPublicSeries(s, bySeries.get(s.id) ?? [], creator));
    c.header('Cache-Control', NO_STORE);
    return c.html(<CreatorPage t={c.var.t} origin={siteOrigin(c)} creator={who} series={series} onSale={false} />, 200);
  })
  .get('/:handle{@[^/]*}/:address', pages, async (c) => {
    const { handle: segment, address } = c.req.param();
    const handle = parseHandle(segment);
    if (!handle) return notFoundPage(c);
    const found = await visibleSeries(c, handle, address);
    if (!found) return notFoundPage(c);
    if ('movedTo' in found) return temporary(c, c.req.path.replace(/^\/[^/]+/, `/@${found.movedTo}`));
    if (segment !== `@${handle}` || address !== found.series.slug)
      return permanent(c, seriesPath(handle, found.series.slug));
    c.header('Cache-Control', found.onSale ? PAGE_CACHE : NO_STORE);
    return c.html(
      <SeriesPage
        t={c.var.t}
        origin={siteOrigin(c)}
        series={publicSeriesOf(found)}
        onSale={found.onSale}
        reviews={found.reviews}
        olderReviews={found.older}
      />,
      200,
    );
  })
  // Older ratings, page by page: read with the series in its one round trip, not in the page cache (nothing could
  // purge every page of a series at a rating write), so kept a minute at most by browsers and the edge.
  .get('/:handle{@[^/]*}/:address/reviews', async (c) => {
    const { handle: segment, address } = c.req.param();
    const handle = parseHandle(segment);
    const before = c.req.query('before');
    if (!handle || !reviewIdSchema.safeParse(before).success) return notFoundPage(c);
    const found = await visibleSeries(c, handle, address, before);
    if (!found) return notFoundPage(c);
    if ('movedTo' in found) return temporary(c, c.req.path.replace(/^\/[^/]+/, `/@${found.movedTo}`));
    if (segment !== `@${handle}` || address !== found.series.slug)
      return permanent(c, `${seriesPath(handle, found.series.slug)}/reviews`);
    c.header('Cache-Control', found.onSale ? PUBLIC_CACHE : NO_STORE);
    return c.html(
      <ReviewsPage
        t={c.var.t}
        origin={siteOrigin(c)}
        series={publicSeriesOf(found)}
        reviews={found.reviews}
        older={found.older}
      />,
      200,
    );
  })
  .get('/:handle{@[^/]*}/:address/:number', pages, async (c) => {
    const { handle: segment, address, number } = c.req.param();
    const handle = parseHandle(segment);
    if (!handle || !/^[1-9][0-9]{0,2}$/.test(number)) return notFoundPage(c);
    const seen = await visibleSeries(c, handle, address);
    if (seen && 'movedTo' in seen) return temporary(c, c.req.path.replace(/^\/[^/]+/, `/@${seen.movedTo}`));
    const found = seen;
    const episode = found ? episodesOf(found.episodes)[Number(number) - 1] : undefined;
    if (!found || !episode) return notFoundPage(c);
    if (segment !== `@${handle}` || address !== found.series.slug) {
      return permanent(c, `${seriesPath(handle, found.series.slug)}/${number}`);
    }
    c.header('Cache-Control', found.onSale ? PAGE_CACHE : NO_STORE);
    return c.html(
      <EpisodePage
        t={c.var.t}
        origin={siteOrigin(c)}
        series={publicSeriesOf(found)}
        episode={episode}
        onSale={found.onSale}
      />,
      200,
    );
  });
