import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { accessRoutes } from './access/routes.js';
import { accountRoutes } from './account/routes.js';
import { sessionRoutes } from './account/session-routes.js';
import { adminRoutes } from './admin/routes.js';
import { analyticsRoutes } from './analytics/routes.js';
import { allowedOrigins } from './auth/config.js';
import { loadSession } from './auth/middleware.js';
import { authRoutes } from './auth/routes.js';
import type { AppEnv } from './lib/context.js';
import { creatorRoutes } from './creators/routes.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { notFoundDocument, storefrontRoutes, wantsPage } from './storefront/routes.js';
import { viewerRoutes } from './storefront/viewer-routes.js';
import { episodeRoutes } from './episodes/routes.js';
import { errorBody, handleError } from './lib/errors.js';
import { playbackRoutes } from './media/playback.js';
import { lookupRoutes } from './lookup/routes.js';
import { isRawUpload, uploadRoutes } from './media/uploads.js';
import { checkoutRoutes } from './purchases/checkout-routes.js';
import { purchaseRoutes } from './purchases/routes.js';
import { checkoutPage } from './payments/checkout-page-routes.js';
import { seriesRoutes } from './series/routes.js';
import { videoRoutes } from './videos/routes.js';
import { viewRoutes } from './views/routes.js';
import { connectRoutes } from './payments/connect-routes.js';
import { webhookRoutes } from './payments/webhook-routes.js';
import { payoutRoutes } from './payouts/routes.js';

const jsonBodyLimit = bodyLimit({
  maxSize: 64 * 1024,
  onError: (c) => c.json(errorBody('payload_too_large', 'Request body is larger than 64 KB'), 413),
});

// Provider events can be larger than API requests (a charge lists its refunds).
const webhookBodyLimit = bodyLimit({
  maxSize: 1024 * 1024,
  onError: (c) => c.json(errorBody('payload_too_large', 'Request body is larger than 1 MB'), 413),
});

const api = new Hono<AppEnv>()
  // JSON is never a page: nothing may render, frame or script it.
  .use(secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] }, crossOriginResourcePolicy: false }))
  .use(
    cors({
      origin: (origin, c) => (allowedOrigins(c.env).includes(origin) ? origin : null),
      credentials: true,
      allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      maxAge: 600,
    }),
  )
  .use(async (c, next) => {
    await next();
    // Private unless a route says otherwise: responses carry tokens, emails and sales.
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-store');
  })
  // File uploads stream raw bytes; everything else is JSON of at most 64 KB.
  .use((c, next) => {
    if (isRawUpload(c.req.method, c.req.path)) return next();
    return c.req.path === '/v1/webhooks/stripe' ? webhookBodyLimit(c, next) : jsonBodyLimit(c, next);
  })
  .use(async (c, next) => {
    const type = c.req.header('Content-Type');
    const hasBody = (c.req.header('Content-Length') ?? '0') !== '0' || c.req.header('Transfer-Encoding');
    const writes = ['POST', 'PUT', 'PATCH'].includes(c.req.method);
    // A form or text body would otherwise parse as empty and yield a misleading "required" error.
    if (hasBody && writes && !isRawUpload(c.req.method, c.req.path) && !/^application\/json\b/i.test(type ?? '')) {
      return c.json(errorBody('unsupported_media_type', 'Send the request body as application/json'), 415);
    }
    await next();
  })
  .use(loadSession)
  .route('/', authRoutes)
  .route('/', sessionRoutes)
  .route('/', accountRoutes)
  .route('/', creatorRoutes)
  .route('/', adminRoutes)
  .route('/', seriesRoutes)
  .route('/', episodeRoutes)
  .route('/', videoRoutes)
  .route('/', lookupRoutes)
  .route('/', checkoutRoutes)
  .route('/', purchaseRoutes)
  .route('/', accessRoutes)
  .route('/', uploadRoutes)
  .route('/', playbackRoutes)
  .route('/', analyticsRoutes)
  .route('/', payoutRoutes)
  .route('/', viewRoutes)
  .route('/', viewerRoutes)
  .route('/', webhookRoutes)
  .route('/', connectRoutes);

const app = new Hono<AppEnv>()
  .use(secureHeaders({ crossOriginResourcePolicy: false }))
  .get('/healthz', (c) => c.json({ ok: true }, 200))
  .route('/v1', api)
  .route('/', checkoutPage)
  .route('/', dashboardRoutes)
  .route('/', storefrontRoutes);

app.notFound((c) =>
  wantsPage(c) ? notFoundDocument(c) : c.json(errorBody('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404),
);
app.onError(handleError);

/** The typed contract for `hc<AppType>()` clients (extension, dashboard, integrators). */
export type AppType = typeof app;
export default app;
