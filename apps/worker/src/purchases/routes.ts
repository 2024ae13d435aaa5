import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { NO_STORE } from '../lib/cache.js';
import { notFound } from '../lib/errors.js';
import { purchaseIdParam } from '../lib/params.js';
import { isoOrNull } from '../lib/time.js';
import { toPurchase, type PurchaseRow } from './rows.js';

interface LibraryRow extends PurchaseRow {
  series_title: string;
  cover_url: string | null;
  handle: string;
  display_name: string;
  episode_title: string | null;
  episode_number: number | null;
}

export const purchaseRoutes = new Hono<AppEnv>()
  /** Everything the caller bought ("Purchased content"), newest first. */
  .get('/me/purchases', requireUser, async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT p.*, s.title AS series_title, s.cover_url, c.handle, c.display_name, e.title AS episode_title,
         CASE WHEN e.id IS NULL THEN NULL ELSE 1 + (SELECT COUNT(*) FROM episodes o WHERE o.series_id = e.series_id
           AND (o.position, o.created_at, o.id) < (e.position, e.created_at, e.id)) END AS episode_number
       FROM purchases p JOIN series s ON s.id = p.series_id JOIN creators c ON c.id = p.creator_id
       LEFT JOIN episodes e ON e.id = p.episode_id
       WHERE p.buyer_id = ? AND p.status = 'paid' ORDER BY p.paid_at DESC, p.id`,
    )
      .bind(c.var.user.id)
      .all<LibraryRow>();
    c.header('Cache-Control', NO_STORE);
    return c.json(
      {
        purchases: results.map((r) => ({
          ...toPurchase(r),
          paidAt: isoOrNull(r.paid_at),
          series: { id: r.series_id, title: r.series_title, coverUrl: r.cover_url },
          creator: { handle: r.handle, displayName: r.display_name },
          episode: r.episode_id ? { id: r.episode_id, title: r.episode_title, number: r.episode_number } : null,
        })),
      },
      200,
    );
  })
  /** One of the caller's purchases, any status: clients poll it while the checkout tab is open. */
  .get('/purchases/:id', requireUser, purchaseIdParam, async (c) => {
    const row = await c.env.DB.prepare('SELECT * FROM purchases WHERE id = ? AND buyer_id = ?')
      .bind(c.req.valid('param').id, c.var.user.id)
      .first<PurchaseRow>();
    if (!row) throw notFound('Purchase');
    c.header('Cache-Control', NO_STORE);
    return c.json({ purchase: toPurchase(row) }, 200);
  });
