import { accountDeleteSchema } from '@series/core';
import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { isAdmin } from '../auth/config.js';
import { readAsUser, requireUser } from '../auth/middleware.js';
import { verifyPassword } from '../auth/password.js';
import { SESSION_COOKIE, SESSION_USER, toUser } from '../auth/queries.js';
import type { AppEnv, CreatorRecord } from '../lib/context.js';
import { creatorOfUserSql, findCreatorByUser, toCreator, toEndedClaim } from '../creators/queries.js';
import { ApiError } from '../lib/errors.js';
import { limitPerSession } from '../lib/rate-limit.js';
import { catalogPaths, purgeCatalog } from '../lib/public-cache.js';
import { isoOrNull } from '../lib/time.js';
import { validate } from '../lib/validate.js';
import {
  creatorHasSales,
  creatorMediaKeys,
  deleteAccount,
  exportAccount,
  exportPurchases,
  findPasswordHash,
} from './queries.js';
import { allLedgers, directory } from '../ledger/placement.js';
import { eraseElsewhere, otherLedgers } from './erasure.js';
import { exportGifts } from '../ledger/gift-queries.js';

/** A person's own account: who they are, their data to take with them, or the account deleted. */
/** Who the caller is: the hot read of every client start, one round trip with the session (before `loadSession`). */
export const accountReadRoutes = new Hono<AppEnv>().get('/me', async (c) => {
  const { user, creator, results } = await readAsUser(c, (bound) => [bound(creatorOfUserSql(SESSION_USER))]);
  // Without a live claim, the one that ended (rejected, expired) if any: the owner is told, and may claim again.
  const ended = creator ? null : (results[0]?.results[0] as CreatorRecord | undefined);
  return c.json(
    {
      user: toUser(c.env, user),
      creator: creator ? toCreator(creator) : null,
      endedClaim: ended && ended.handle === null ? toEndedClaim(ended) : null,
    },
    200,
  );
});

export const accountRoutes = new Hono<AppEnv>()
  .get('/me/export', requireUser, async (c) => {
    const db = c.env.DB;
    const user = c.var.user;
    const creator = await findCreatorByUser(db, user.id);
    // The purchases in every other ledger too (shards of their own: ledger/placement.ts), asked at the same time.
    const others = allLedgers(c.env).filter((ledger) => ledger !== directory(c.env));
    const [exported, giftsElsewhere, ...elsewhere] = await Promise.all([
      exportAccount(db, user.id, creator?.id ?? null),
      Promise.all(others.map((ledger) => exportGifts(ledger, user.id))),
      ...others.map((ledger) => exportPurchases(ledger, user.id)),
    ]);
    const { sessions, series, episodes } = exported;
    const gifts = [...exported.gifts, ...giftsElsewhere.flat()].sort(
      (a, b) => (a.created_at as number) - (b.created_at as number),
    );
    const purchases = [...exported.purchases, ...elsewhere.flat()].sort(
      (a, b) => (a.created_at as number) - (b.created_at as number),
    );
    const time = (ms: unknown) => isoOrNull((ms as number | null) ?? null);
    c.header('Content-Disposition', 'attachment; filename="series-data-export.json"');
    return c.json(
      {
        exportedAt: new Date().toISOString(),
        user: { id: user.id, email: user.email, createdAt: new Date(user.createdAt).toISOString() },
        creator: creator ? toCreator(creator) : null,
        series: series.map((s) => ({ ...s, created_at: time(s.created_at) })),
        episodes,
        purchases: purchases.map((p) => ({ ...p, created_at: time(p.created_at), paid_at: time(p.paid_at) })),
        sessions: sessions.map((s) => ({ ...s, created_at: time(s.created_at), expires_at: time(s.expires_at) })),
        gifts: gifts.map((g) => ({ ...g, created_at: time(g.created_at), claimed_at: time(g.claimed_at) })),
      },
      200,
    );
  })
  /**
   * Deletes the account and its personal data. Purchases stay in the creators' ledger with the buyer
   * anonymised, so their sales, payouts and unique-buyer counts do not change.
   */
  .delete('/me', requireUser, limitPerSession('SESSION_LIMITER'), validate('json', accountDeleteSchema), async (c) => {
    const db = c.env.DB;
    const user = c.var.user;
    const row = await findPasswordHash(db, user.id);
    // An account made with TikTok confirms with a password once it has set one (POST /v1/me/credentials, or Forgot
    // password): a session alone never deletes an account.
    if (row && !row.password_hash) {
      throw new ApiError(409, 'no_password', 'This account has no password: set one first to confirm the deletion');
    }
    if (!row || !(await verifyPassword(c.req.valid('json').password, row.password_hash))) {
      throw new ApiError(403, 'invalid_credentials', 'The password is wrong');
    }
    if (isAdmin(c.env, user.email)) {
      throw new ApiError(409, 'admin_account', 'Remove this email from ADMIN_EMAILS before deleting the account');
    }
    const creator = await findCreatorByUser(db, user.id);
    if (creator && (await creatorHasSales(db, creator.id))) {
      throw new ApiError(
        409,
        'creator_has_sales',
        'Your sales ledger must be kept for your buyers and payouts: unpublish your series, and contact support to close the account',
      );
    }
    const media = creator ? await creatorMediaKeys(db, creator.id) : [];
    const before = creator ? await catalogPaths(db, creator.id) : [];
    // An opaque stand-in keeps "unique buyers" counts right without pointing at anyone.
    const anonymous = `deleted:${crypto.randomUUID()}`;
    // With ledgers in shards of their own, the buyer's purchases there are anonymised too: recorded in the same
    // batch, done right after it, and retried by the cron until every shard has done it.
    const elsewhere = otherLedgers(c.env).length > 0;
    const removedCreator = await deleteAccount(db, user.id, creator?.id ?? '', anonymous, elsewhere);
    if (creator && !removedCreator) {
      throw new ApiError(
        409,
        'creator_has_sales',
        'A sale completed while deleting: the account is kept for its ledger',
      );
    }
    if (elsewhere) await eraseElsewhere(c.env, user.id, anonymous);
    if (media.length) await c.env.MEDIA.delete(media);
    if (creator) await purgeCatalog(db, creator.id, before);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.json({ deleted: true }, 200);
  });
