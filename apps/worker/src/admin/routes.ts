import { commissionSchema, creatorStatusSchema, DEFAULT_COMMISSION_BPS, handleSchema, lookupHash } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAdmin } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { findCreatorByHandle, rejectClaim, toCreator } from '../creators/queries.js';
import { ApiError, notFound } from '../lib/errors.js';
import { catalogPaths, COMMISSION_PATH, purgeCatalog, purgePublic } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { commissionHistory, setCommission } from '../ledger/commission-queries.js';
import { queueSaleWindowClosing } from '../payments/sale-window.js';
import { publicOrigin, sendCreatorStatusMail } from '../mail/notices.js';
import { listAudit, listCreatorsForAdmin, setCreatorStatus, unlinkEpisodeVideo } from './queries.js';
import { episodeIdParam } from '../lib/params.js';
import { meetsCriteria } from '../verification/criteria.js';
import { BIO_CODE_TTL_MS } from '../verification/queries.js';

const handleParam = validate('param', z.object({ handle: handleSchema }));

/**
 * Sets a creator's rollout status (audited), then purges the catalogue pages it puts on or off sale. A
 * suspension also closes the creator's open checkouts, in the background (payments/sale-window.ts).
 */
async function changeStatus(
  env: Env,
  actorId: string,
  handle: string,
  status: 'approved' | 'suspended',
  origin: string,
) {
  const row = await setCreatorStatus(env.DB, actorId, handle, status, Date.now());
  if (!row) throw notFound('Creator');
  // Approval puts the creator's published series on sale; suspension takes them off.
  await purgeCatalog(env.DB, row.id);
  if (status === 'suspended')
    await queueSaleWindowClosing(env, { kind: 'off_sale', creatorId: row.id, seriesId: null });
  // The creator is told, by mail (queued).
  await sendCreatorStatusMail(env, origin, row.id, status).catch((err) => console.error('creator status mail', err));
  return toCreator(row);
}

export const adminRoutes = new Hono<AppEnv>()
  .use('/admin/*', requireAdmin)
  .get('/admin/creators', validate('query', z.object({ status: creatorStatusSchema.optional() })), async (c) => {
    const { status } = c.req.valid('query');
    const { creators, settings } = await listCreatorsForAdmin(c.env.DB, status ?? null);
    const now = Date.now();
    return c.json(
      {
        creators: creators.map((r) => {
          const tiktok =
            r.tiktok_checked_at === null
              ? null
              : {
                  username: r.tiktok_username,
                  followerCount: r.tiktok_followers,
                  videoCount: r.tiktok_videos,
                  isVerified: r.tiktok_badge === 1,
                  checkedAt: new Date(r.tiktok_checked_at).toISOString(),
                };
          const facts = tiktok && { follower_count: tiktok.followerCount, video_count: tiktok.videoCount };
          return {
            ...toCreator(r),
            email: r.email,
            tiktok,
            meetsCriteria: meetsCriteria(settings, facts),
            // The code the admin looks for in the bio (bio-code fallback), while it is valid.
            bioCode:
              r.bio_code && r.bio_code_at != null && !r.verified_by && r.bio_code_at + BIO_CODE_TTL_MS > now
                ? { code: r.bio_code, givenAt: new Date(r.bio_code_at).toISOString() }
                : null,
          };
        }),
        criteria: settings,
      },
      200,
    );
  })
  .post('/admin/creators/:handle/approve', handleParam, async (c) => {
    const origin = publicOrigin(c.env, new URL(c.req.url).origin)!;
    const creator = await changeStatus(c.env, c.var.session!.user.id, c.req.valid('param').handle, 'approved', origin);
    return c.json({ creator }, 200);
  })
  .post('/admin/creators/:handle/suspend', handleParam, async (c) => {
    const origin = publicOrigin(c.env, new URL(c.req.url).origin)!;
    const creator = await changeStatus(c.env, c.var.session!.user.id, c.req.valid('param').handle, 'suspended', origin);
    return c.json({ creator }, 200);
  })
  /**
   * Rejects a claim (pending, or any other while nothing was sold under it): the handle is free for its real
   * owner, the account keeps its drafts and may claim another handle; audited. A creator with sales keeps the
   * handle (the ledger needs it): 409, suspend them instead.
   */
  .post('/admin/creators/:handle/reject', handleParam, async (c) => {
    const db = c.env.DB;
    const { handle } = c.req.valid('param');
    const found = await findCreatorByHandle(db, handle);
    if (!found) throw notFound('Creator');
    const before = await catalogPaths(db, found.id);
    const ended = await rejectClaim(db, c.var.session!.user.id, found.id, Date.now());
    if (!ended) {
      if (!(await findCreatorByHandle(db, handle))) throw notFound('Creator');
      throw new ApiError(
        409,
        'creator_has_sales',
        `Sales were made under @${handle}, and the ledger keeps its handle: suspend the creator instead`,
      );
    }
    // Whatever it had on sale (an approved creator's series) goes off sale: its pages and open checkouts close.
    await purgeCatalog(db, found.id, before);
    if (found.status === 'approved') {
      await queueSaleWindowClosing(c.env, { kind: 'off_sale', creatorId: found.id, seriesId: null });
    }
    return c.json({ creator: toCreator(ended) }, 200);
  })
  /** Unlinks an episode's video (verified or not): the video is free to link again, the catalogue purged; audited. */
  .delete('/admin/episodes/:id/video', episodeIdParam, async (c) => {
    const db = c.env.DB;
    const { id } = c.req.valid('param');
    const unlinked = await unlinkEpisodeVideo(db, c.var.session!.user.id, id, Date.now());
    if (!unlinked) throw notFound('Episode with a linked video');
    // The video's own answers (its page for the extension, its lookup buckets) go with the creator's catalogue.
    const hash = await lookupHash(unlinked.video_id);
    const gone = [`/v1/videos/${unlinked.video_id}`, ...[4, 5].map((n) => `/v1/lookup/videos/${hash.slice(0, n)}`)];
    await purgeCatalog(db, unlinked.creator_id, gone);
    return c.json({ episodeId: id, unlinkedVideoId: unlinked.video_id }, 200);
  })
  .get('/admin/commission', async (c) => {
    const history = await commissionHistory(c.env.DB);
    return c.json({ bps: history[0]?.bps ?? DEFAULT_COMMISSION_BPS, history }, 200);
  })
  .put('/admin/commission', validate('json', commissionSchema), async (c) => {
    const { bps } = c.req.valid('json');
    const actor = c.var.session!.user.id;
    const now = Date.now();
    const changed = await setCommission(c.env.DB, { bps, actorId: actor, now });
    // The public rate (GET /v1/commission) changes now, not when its cached copies expire.
    if (changed) await purgePublic([COMMISSION_PATH]);
    return c.json(
      { bps, changed, effectiveAt: new Date(now).toISOString(), appliesTo: 'purchases started from now on' },
      200,
    );
  })
  .get('/admin/audit', async (c) => {
    const results = await listAudit(c.env.DB);
    return c.json(
      {
        entries: results.map((r) => ({
          action: r.action,
          target: r.target,
          detail: JSON.parse(r.detail ?? '{}') as unknown,
          actor: r.actor_email,
          at: new Date(r.created_at).toISOString(),
        })),
      },
      200,
    );
  });
