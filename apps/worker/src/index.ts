import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { accessRoutes } from './access/routes.js';
import { accountReadRoutes, accountRoutes } from './account/routes.js';
import { sessionRoutes } from './account/session-routes.js';
import { adminRoutes } from './admin/routes.js';
import { commissionRoutes } from './commission/routes.js';
import { anchorRoutes } from './anchors/routes.js';
import { analyticsRoutes } from './analytics/routes.js';
import { allowedOrigins } from './auth/config.js';
import { loadSession } from './auth/middleware.js';
import { authRoutes } from './auth/routes.js';
import { jsonBody } from './lib/body.js';
import { NO_STORE } from './lib/cache.js';
import { BOOKMARK_HEADER, d1Session } from './lib/d1-session.js';
import type { AppEnv } from './lib/context.js';
import { creatorRoutes } from './creators/routes.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { notFoundDocument, storefrontRoutes, wantsPage } from './storefront/routes.js';
import { viewerRoutes } from './storefront/viewer-routes.js';
import { episodeRoutes } from './episodes/routes.js';
import { errorBody, handleError } from './lib/errors.js';
import { playbackRoutes } from './media/playback-routes.js';
import { lookupRoutes } from './lookup/routes.js';
import { uploadBodyRoutes, uploadRoutes } from './media/upload-routes.js';
import { imageRoutes } from './images/routes.js';
import { giftRoutes } from './gifts/routes.js';
import { checkoutRoutes } from './purchases/checkout-routes.js';
import { purchaseRoutes } from './purchases/routes.js';
import { checkoutPage } from './payments/checkout-page-routes.js';
import { seriesRoutes } from './series/routes.js';
import { discountRoutes } from './discounts/routes.js';
import { promoCodeRoutes } from './promo-codes/routes.js';
import { reviewRoutes } from './reviews/routes.js';
import { moderationRoutes } from './moderation/routes.js';
import { videoLinkRoutes } from './video-links/routes.js';
import { funnelRoutes } from './funnel/routes.js';
import { verificationRoutes } from './verification/routes.js';
import { connectRoutes } from './payments/connect-routes.js';
import { webhookRoutes } from './payments/webhook-routes.js';
import { consumeSaleWindows, type SaleWindowMessage } from './payments/sale-window.js';
import { consumeViews, VIEWS_QUEUE } from './funnel/view-queue.js';
import { payoutRoutes } from './payouts/routes.js';
import { runScheduledJobs } from './scheduled/jobs.js';
import { recoveryRoutes } from './auth/recovery-routes.js';
import { emailRoutes } from './account/email-routes.js';
import { mailAdminRoutes } from './admin/mail-routes.js';
import { outboxRoutes } from './mail/outbox-routes.js';
import { consumeMail, MAIL_QUEUE, type MailMessage } from './mail/queue.js';
import { refundRoutes } from './payments/refund-routes.js';
import { dashboardTextRoutes } from './dashboard/text-routes.js';
import { refundRequestRoutes } from './purchases/refund-request-routes.js';

const api = new Hono<AppEnv>()
  // JSON is never a page: nothing may render, frame or script it.
  .use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      crossOriginResourcePolicy: false,
    }),
  )
  .use(
    cors({
      origin: (origin, c) => (allowedOrigins(c.env).includes(origin) ? origin : null),
      credentials: true,
      allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', BOOKMARK_HEADER],
      // Clients send the newest bookmark back, so their next read sees their own writes on any replica.
      exposeHeaders: [BOOKMARK_HEADER],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      maxAge: 600,
    }),
  )
  .use(async (c, next) => {
    await next();
    // Private unless a route says otherwise (the public catalogue does): answers carry tokens, emails, sales.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', NO_STORE);
  })
  // The hot reads find the session themselves, batched with their own statements: one round trip each.
  .route('/', accountReadRoutes)
  .route('/', purchaseRoutes)
  .route('/', accessRoutes)
  .route('/', analyticsRoutes)
  // Checkout reads the session with what it asks the directory (whose item it is), and limits its own body.
  .route('/', checkoutRoutes)
  .use(loadSession)
  // These take other bodies than JSON and set their own rules (file bytes; the provider's signed events).
  .route('/', uploadBodyRoutes)
  .route('/', imageRoutes)
  .route('/', webhookRoutes)
  // Every route below takes JSON of at most 64 KB.
  .use(jsonBody)
  .route('/', authRoutes)
  .route('/', recoveryRoutes)
  .route('/', emailRoutes)
  .route('/', mailAdminRoutes)
  .route('/', sessionRoutes)
  .route('/', accountRoutes)
  .route('/', creatorRoutes)
  .route('/', adminRoutes)
  .route('/', commissionRoutes)
  .route('/', anchorRoutes)
  .route('/', seriesRoutes)
  .route('/', reviewRoutes)
  .route('/', moderationRoutes)
  .route('/', episodeRoutes)
  .route('/', discountRoutes)
  .route('/', promoCodeRoutes)
  .route('/', videoLinkRoutes)
  .route('/', lookupRoutes)
  .route('/', giftRoutes)
  // Refunds: sellers' refunds, buyers' refund requests.
  .route('/', refundRequestRoutes)
  .route('/', refundRoutes)
  .route('/', dashboardTextRoutes)
  .route('/', uploadRoutes)
  .route('/', playbackRoutes)
  .route('/', payoutRoutes)
  .route('/', funnelRoutes)
  .route('/', verificationRoutes)
  .route('/', viewerRoutes)
  .route('/', connectRoutes);

const app = new Hono<AppEnv>()
  // One D1 session per request: replicas for public reads, the primary for money and sessions (lib/d1-session.ts).
  .use(d1Session)
  .use(secureHeaders({ crossOriginResourcePolicy: false }))
  .get('/healthz', (c) => c.json({ ok: true }, 200))
  .route('/v1', api)
  .route('/', checkoutPage)
  .route('/', outboxRoutes)
  .route('/', dashboardRoutes)
  .route('/', storefrontRoutes);

app.notFound((c) =>
  wantsPage(c)
    ? notFoundDocument(c)
    : c.json(errorBody('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404),
);
app.onError(handleError);

/** The typed contract for `hc<AppType>()` clients (extension, dashboard, integrators). */
export type AppType = typeof app;

/** Each Cloudflare Queue this worker consumes (wrangler.jsonc `queues.consumers`), by queue name. */
const consumers: Record<string, (batch: MessageBatch, env: Env) => Promise<void>> = {
  // Closing open checkouts when a sale window closes.
  'series-sale-window': (batch, env) => consumeSaleWindows(batch as MessageBatch<SaleWindowMessage>, env),
  // Counting the anonymous view reports.
  [VIEWS_QUEUE]: consumeViews,
  // Sending mail (verification, resets, receipts, notifications) without holding up the request.
  [MAIL_QUEUE]: (batch, env) => consumeMail(batch as MessageBatch<MailMessage>, env),
};

/**
 * The worker's handlers: HTTP through the app (still the app itself, so tests can read its routes), the
 * Cloudflare Queue consumers of wrangler.jsonc, picked by the batch's queue (a queue without one fails, so its
 * messages are retried rather than handed to the wrong consumer), and its Cron Trigger (expiring handle claims,
 * pruning view marks and applied view messages: scheduled/jobs.ts).
 */
export default Object.assign(app, {
  queue: async (batch: MessageBatch, env: Env) => {
    const consume = consumers[batch.queue];
    if (!consume) throw new Error(`no consumer for queue ${batch.queue}`);
    return consume(batch, env);
  },
  scheduled: (controller: ScheduledController, env: Env) => runScheduledJobs(controller, env),
});
