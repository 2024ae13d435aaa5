import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.js';
import { isEpisodeReady, isOnSale } from '../lib/rules.js';
import { ApiError, notFound } from '../lib/errors.js';
import { episodeIdParam } from '../lib/params.js';
import { ownsEpisode, ownsEpisodeSql } from '../ledger/queries.js';
import { ledgerFor, ledgerInDirectory } from '../ledger/placement.js';
import { readAsViewer } from '../auth/middleware.js';
import { SESSION_USER } from '../auth/queries.js';
import { buyOptionsFor } from '../ledger/sale-queries.js';
import { GRANT_TTL_MS, issueGrant } from './grants.js';
import { episodeForAccessSql, type AccessRow } from './queries.js';

export const accessRoutes = new Hono<AppEnv>()
  /**
   * A short-lived, viewer-bound playback grant for a free, owned or own episode.
   * 401 for a premium episode without a session; 402 with the ways to buy it otherwise.
   */
  .get('/episodes/:id/access', episodeIdParam, async (c) => {
    const id = c.req.valid('param').id;
    // The session, the episode and whether the caller owns it: one round trip (this route plays every episode),
    // while every ledger is the directory's own database. With ledgers in shards of their own, the directory's
    // answer names the episode's creator, and their ledger alone is asked whether the caller owns it.
    const batched = ledgerInDirectory(c.env) !== null;
    const read = await readAsViewer(c, (bound) => [
      bound(episodeForAccessSql('?3'), id),
      ...(batched
        ? [bound(ownsEpisodeSql(SESSION_USER, '?3', '(SELECT series_id FROM episodes WHERE id = ?3)'), id)]
        : []),
    ]);
    const episode = (read.results[0]?.results[0] as AccessRow | undefined) ?? null;
    const user = read.user;
    const isOwner = !!user && episode?.creator_user_id === user.id;
    const onSale = isOnSale(episode?.series_status, episode?.creator_sells);
    const db = episode ? ledgerFor(c.env, episode.creator_id) : null;
    // Buyers keep what they paid for even if the series is later unpublished or the creator suspended.
    const owned =
      !!user &&
      !!episode &&
      !isOwner &&
      (batched ? !!read.results[1]?.results.length : await ownsEpisode(db!, user.id, episode.id, episode.series_id));
    if (!episode || !(onSale || isOwner || owned)) throw notFound('Episode');
    // Added to a live series and not approved yet (review before going live): only its creator plays it.
    if (episode.review_state && !isOwner) {
      throw new ApiError(403, 'episode_in_review', 'This episode is waiting for review and cannot be played yet');
    }

    const now = Date.now();
    if (!isOwner && episode.release_at !== null && episode.release_at > now) {
      throw new ApiError(403, 'not_released', 'This episode is not released yet', {
        releaseAt: new Date(episode.release_at).toISOString(),
      });
    }
    const free = episode.price === null;
    if (!free && !isOwner && !owned) {
      if (!user) throw new ApiError(401, 'unauthorized', 'Sign in to unlock this episode');
      // Only what can be watched is offered: an episode without its video is "coming soon" (mediaReady false).
      // The whole series at this viewer's price (less what they paid for its episodes), as checkout charges it.
      const ready = isEpisodeReady(episode.media_key, episode.review_state ?? null);
      // Both at what checkout charges now (a temporary discount in force included), read in one round trip.
      const { episodeAmount, wholeSeries } = await buyOptionsFor(db!, episode.id, episode.series_id, user.id);
      const amount = episodeAmount ?? episode.price!;
      const buyOptions = [
        ...(ready ? [{ kind: 'episode' as const, episodeId: episode.id, amount, currency: episode.currency }] : []),
        ...(wholeSeries ? [{ kind: 'series' as const, seriesId: episode.series_id, ...wholeSeries }] : []),
      ];
      throw new ApiError(402, 'payment_required', 'Buy this episode or the whole series to watch it', {
        price: { amount, currency: episode.currency },
        mediaReady: ready,
        buyOptions,
      });
    }
    const expiresAt = now + GRANT_TTL_MS;
    const token = await issueGrant(c.env.SIGNING_SECRET, {
      viewerId: user?.id ?? 'anonymous',
      episodeId: episode.id,
      expiresAt,
    });
    const origin = new URL(c.req.url).origin;
    return c.json(
      {
        episodeId: episode.id,
        reason: free ? ('free' as const) : isOwner ? ('creator' as const) : ('purchased' as const),
        mediaReady: episode.media_key !== null,
        grant: { token, expiresAt: new Date(expiresAt).toISOString() },
        playbackUrl: `${origin}/v1/media/${episode.id}?grant=${encodeURIComponent(token)}`,
      },
      200,
    );
  });
