import { giftTokenSchema } from '@series/core';
import { Hono } from 'hono';
import { findGiftByToken, holdsGift } from '../ledger/gift-queries.js';
import { ledgerHolding } from '../ledger/placement.js';
import { NO_STORE } from '../lib/cache.js';
import { sha256Hex } from '../lib/encoding.js';
import type { StorefrontEnv } from './locale.js';
import { GiftClaimPage } from './pages/gift.js';
import { episodePath, seriesPath } from './pages/parts.js';

/**
 * The page a gift's link opens (mounted by routes.tsx under its locale and page-header middleware): what the gift
 * is, from whom, and Claim. A link that no longer works (unknown, replaced by a re-sent mail, claimed, refunded)
 * is the same 404 page whatever the reason. Never cached, and the address (with its token) is never sent on as a
 * referrer.
 */
export const giftPageRoutes = new Hono<StorefrontEnv>().get('/gift', async (c) => {
  c.header('Cache-Control', NO_STORE);
  c.header('Referrer-Policy', 'no-referrer');
  const t = c.var.t;
  const token = c.req.query('token') ?? '';
  const hash = giftTokenSchema.safeParse(token).success ? await sha256Hex(token) : null;
  const ledger = hash ? await ledgerHolding(c.env, (db) => holdsGift(db, { tokenHash: hash })) : null;
  const row = hash && ledger ? await findGiftByToken(ledger, hash) : null;
  if (!row || !row.claimable) {
    return c.html(<GiftClaimPage t={t} gift={null} />, 404);
  }
  const item =
    row.episode_title && row.episode_number
      ? t.t('gift.itemEpisode', { number: row.episode_number, episode: row.episode_title, series: row.series_title })
      : t.t('gift.itemSeries', { series: row.series_title });
  const gift = {
    giver: row.giver_email,
    item,
    seller: `${row.display_name} (@${row.handle})`,
    message: row.message,
    href: row.episode_number
      ? episodePath(row.handle, row.series_slug, row.episode_number)
      : seriesPath(row.handle, row.series_slug),
  };
  return c.html(<GiftClaimPage t={t} gift={gift} />, 200);
});
