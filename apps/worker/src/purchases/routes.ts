import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { notFound } from '../lib/errors.js';
import { purchaseIdParam } from '../lib/params.js';
import { isoOrNull } from '../lib/time.js';
import { findBuyerPurchase, listLibrary, toPurchase } from '../ledger/queries.js';

export const purchaseRoutes = new Hono<AppEnv>()
  /** Everything the caller bought ("Purchased content"), newest first. */
  .get('/me/purchases', requireUser, async (c) => {
    const results = await listLibrary(c.env.DB, c.var.user.id);
    return c.json(
      {
        purchases: results.map((r) => ({
          ...toPurchase(r),
          paidAt: isoOrNull(r.paid_at),
          series: { id: r.series_id, slug: r.series_slug, title: r.series_title, coverUrl: r.cover_url },
          creator: { handle: r.handle, displayName: r.display_name },
          episode: r.episode_id ? { id: r.episode_id, title: r.episode_title, number: r.episode_number } : null,
        })),
      },
      200,
    );
  })
  /** One of the caller's purchases, any status: clients poll it while the checkout tab is open. */
  .get('/purchases/:id', requireUser, purchaseIdParam, async (c) => {
    const row = await findBuyerPurchase(c.env.DB, c.req.valid('param').id, c.var.user.id);
    if (!row) throw notFound('Purchase');
    return c.json({ purchase: toPurchase(row) }, 200);
  });
