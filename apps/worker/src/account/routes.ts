import { accountDeleteSchema } from '@series/core';
import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { isAdmin } from '../auth/config.js';
import { requireUser } from '../auth/middleware.js';
import { verifyPassword } from '../auth/password.js';
import { SESSION_COOKIE, toUser } from '../auth/queries.js';
import type { AppEnv } from '../lib/context.js';
import { findCreatorByUser, toCreator } from '../creators/queries.js';
import { ApiError } from '../lib/errors.js';
import { enforceLimit } from '../lib/rate-limit.js';
import { catalogPaths, purgeCatalog } from '../lib/public-cache.js';
import { isoOrNull } from '../lib/time.js';
import { validate } from '../lib/validate.js';
import { SOLD } from '../ledger/queries.js';

/** A person's own account: who they are, their data to take with them, or the account deleted. */
export const accountRoutes = new Hono<AppEnv>()
  .get('/me', requireUser, async (c) => {
    const creator = c.var.session!.creator;
    return c.json({ user: toUser(c.env, c.var.user), creator: creator ? toCreator(creator) : null }, 200);
  })
  .get('/me/export', requireUser, async (c) => {
    const db = c.env.DB;
    const user = c.var.user;
    const creator = await findCreatorByUser(db, user.id);
    const [purchases, sessions, series, episodes] = await db.batch<Record<string, unknown>>([
      db
        .prepare(
          `SELECT p.id, p.status, p.status_reason, p.amount, p.currency, p.refunded_amount, p.created_at, p.paid_at,
                  s.title AS series_title, e.title AS episode_title
           FROM purchases p JOIN series s ON s.id = p.series_id LEFT JOIN episodes e ON e.id = p.episode_id
           WHERE p.buyer_id = ? ORDER BY p.created_at`,
        )
        .bind(user.id),
      db.prepare('SELECT id, user_agent, created_at, expires_at FROM sessions WHERE user_id = ? ORDER BY created_at').bind(user.id),
      db.prepare('SELECT id, title, description, currency, bundle_price, status, created_at FROM series WHERE creator_id = ?').bind(creator?.id ?? ''),
      db
        .prepare(
          `SELECT e.id, e.series_id, e.title, e.duration_seconds, e.price, e.video_id FROM episodes e
           JOIN series s ON s.id = e.series_id WHERE s.creator_id = ?`,
        )
        .bind(creator?.id ?? ''),
    ]);
    const time = (ms: unknown) => isoOrNull((ms as number | null) ?? null);
    c.header('Content-Disposition', 'attachment; filename="series-data-export.json"');
    return c.json(
      {
        exportedAt: new Date().toISOString(),
        user: { id: user.id, email: user.email, createdAt: new Date(user.createdAt).toISOString() },
        creator: creator ? toCreator(creator) : null,
        series: (series?.results ?? []).map((s) => ({ ...s, created_at: time(s.created_at) })),
        episodes: episodes?.results ?? [],
        purchases: (purchases?.results ?? []).map((p) => ({ ...p, created_at: time(p.created_at), paid_at: time(p.paid_at) })),
        sessions: (sessions?.results ?? []).map((s) => ({ ...s, created_at: time(s.created_at), expires_at: time(s.expires_at) })),
      },
      200,
    );
  })
  /**
   * Deletes the account and its personal data. Purchases stay in the creators' ledger with the buyer
   * anonymised, so their sales, payouts and unique-buyer counts do not change.
   */
  .delete('/me', requireUser, validate('json', accountDeleteSchema), async (c) => {
    const db = c.env.DB;
    const user = c.var.user;
    await enforceLimit(c, 'SIGNIN_LIMITER', `email:${user.email}`);
    const row = await db.prepare('SELECT password_hash FROM users WHERE id = ?').bind(user.id).first<{ password_hash: string }>();
    if (!row || !(await verifyPassword(c.req.valid('json').password, row.password_hash))) {
      throw new ApiError(403, 'invalid_credentials', 'The password is wrong');
    }
    if (isAdmin(c.env, user.email)) {
      throw new ApiError(409, 'admin_account', 'Remove this email from ADMIN_EMAILS before deleting the account');
    }
    const creator = await findCreatorByUser(db, user.id);
    const sold = creator
      ? await db.prepare(`SELECT 1 FROM purchases WHERE creator_id = ? AND ${SOLD} LIMIT 1`).bind(creator.id).first()
      : null;
    if (sold) {
      throw new ApiError(
        409,
        'creator_has_sales',
        'Your sales ledger must be kept for your buyers and payouts: unpublish your series, and contact support to close the account',
      );
    }
    const media = creator
      ? await db
          .prepare(
            `SELECT u.r2_key FROM media_uploads u JOIN episodes e ON e.id = u.episode_id JOIN series s ON s.id = e.series_id
             WHERE s.creator_id = ?`,
          )
          .bind(creator.id)
          .all<{ r2_key: string }>()
      : { results: [] };
    const before = creator ? await catalogPaths(db, creator.id) : [];
    // An opaque stand-in keeps "unique buyers" counts right without pointing at anyone.
    const anonymous = `deleted:${crypto.randomUUID()}`;
    const creatorId = creator?.id ?? '';
    // Every statement re-checks "no sale": a purchase completing while this runs keeps the account.
    const unsold = `NOT EXISTS (SELECT 1 FROM purchases WHERE creator_id = ?1 AND ${SOLD})`;
    const gone = `NOT EXISTS (SELECT 1 FROM creators WHERE user_id = ?1)`;
    const [, , , , , removedCreator] = await db.batch([
      // The creator's unsold catalogue goes (abandoned checkouts by others included).
      db.prepare(`DELETE FROM purchases WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
      db.prepare(`DELETE FROM funnel_daily WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
      db.prepare(`DELETE FROM source_daily WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
      db.prepare(`DELETE FROM episodes WHERE series_id IN (SELECT id FROM series WHERE creator_id = ?1) AND ${unsold}`).bind(creatorId),
      db.prepare(`DELETE FROM series WHERE creator_id = ?1 AND ${unsold}`).bind(creatorId),
      db.prepare(`DELETE FROM creators WHERE id = ?1 AND ${unsold}`).bind(creatorId),
      // As a buyer: unpaid checkouts go; the ledger keeps paid ones, anonymised (only if the account goes).
      db.prepare(`DELETE FROM purchases WHERE buyer_id = ?1 AND paid_at IS NULL AND ${gone}`).bind(user.id),
      db.prepare(`UPDATE purchases SET buyer_id = NULL WHERE buyer_id = ?1 AND ${gone}`).bind(user.id),
      db.prepare(`UPDATE buyer_days SET buyer_id = ?2 WHERE buyer_id = ?1 AND ${gone}`).bind(user.id, anonymous),
      db.prepare(`DELETE FROM sessions WHERE user_id = ?1 AND ${gone}`).bind(user.id),
      // Only once no creator profile is left (a sale landing meanwhile keeps it, and so the account).
      db.prepare(`DELETE FROM users WHERE id = ?1 AND ${gone}`).bind(user.id),
    ]);
    if (creator && !removedCreator?.meta.changes) {
      throw new ApiError(409, 'creator_has_sales', 'A sale completed while deleting: the account is kept for its ledger');
    }
    if (media.results.length) await c.env.MEDIA.delete(media.results.map((m) => m.r2_key));
    if (creator) await purgeCatalog(db, creator.id, before);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.json({ deleted: true }, 200);
  });
