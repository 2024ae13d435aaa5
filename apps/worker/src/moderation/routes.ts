import {
  episodeIdSchema,
  moderationReasonSchema,
  reportIdSchema,
  reportResolutionSchema,
  reportSchema,
  reviewSettingSchema,
  seriesIdSchema,
} from '@series/core';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { GRANT_TTL_MS, issueGrant } from '../access/grants.js';
import { requireAdmin, requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, notFound } from '../lib/errors.js';
import { catalogPaths, purgeCatalog } from '../lib/public-cache.js';
import { validate } from '../lib/validate.js';
import { queueSaleWindowClosing } from '../payments/sale-window.js';
import { publicOrigin, sendModerationMail, type ModerationNotice } from '../mail/notices.js';
import type { EpisodeRow } from '../episodes/queries.js';
import type { SeriesRow } from '../series/queries.js';
import { heldThumbKey, IMAGE_PREFIX, imageNameOf } from '../images/queries.js';
import {
  type Decision,
  decideEpisode,
  decideRevision,
  decideSeries,
  dismissReport,
  episodeExists,
  findReport,
  findOpenReport,
  findSeriesForReview,
  insertReport,
  listReports,
  readReviewSetting,
  removeReview,
  reviewQueue,
  takeDown,
  toQueueItem,
  toReport,
  writeReviewSetting,
} from './queries.js';

/** A malformed id names nothing: 404 like an unknown one. */
const idParam = <S extends z.ZodType<string>>(schema: S, what: string) =>
  validator('param', (value) => {
    const parsed = z.object({ id: schema, decision: z.enum(['approve', 'reject']).optional() }).safeParse(value);
    if (!parsed.success) throw notFound(what);
    return parsed.data;
  });

/** Approve needs nothing; reject needs the reason its creator will read. */
const decisionBody = validator('json', (value, c) => {
  if (c.req.param('decision') === 'approve') return { reason: '' };
  const parsed = moderationReasonSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new ApiError(400, 'invalid_request', `${issues[0]!.path}: ${issues[0]!.message}`, { issues });
  }
  return parsed.data;
});

/** An admin's approve or reject (with the reason the creator reads), as the decide statements take it. */
const decisionOf = (adminId: string, decision: string | undefined, reason: string): Decision =>
  decision === 'approve'
    ? { adminId, now: Date.now(), approve: true }
    : { adminId, now: Date.now(), approve: false, reason };

const nothingWaiting = () => new ApiError(409, 'not_pending', 'Nothing of this is waiting for review');

/**
 * Review before going live (the admins' setting, queue and decisions), takedowns, and viewers' reports with the
 * admins' queue of them. Every decision is audited.
 */
export const moderationRoutes = new Hono<AppEnv>()
  .get('/admin/settings/review', requireAdmin, async (c) => c.json(await readReviewSetting(c.env.DB), 200))
  .put('/admin/settings/review', requireAdmin, validate('json', reviewSettingSchema), async (c) => {
    await writeReviewSetting(c.env.DB, c.req.valid('json').reviewRequired, c.var.user.id, Date.now());
    return c.json(await readReviewSetting(c.env.DB), 200);
  })
  .get('/admin/review-queue', requireAdmin, async (c) => {
    const entries = await reviewQueue(c.env.DB);
    const origin = new URL(c.req.url).origin;
    const expiresAt = Date.now() + GRANT_TTL_MS;
    // Each video plays for the admin through a grant of their own, as a buyer's would (minutes long).
    const grants = new Map<string, string>();
    for (const e of entries.flatMap((x) => x.episodes)) {
      if (e.media_key === null) continue;
      const token = await issueGrant(c.env.SIGNING_SECRET, { viewerId: c.var.user.id, episodeId: e.id, expiresAt });
      grants.set(e.id, `${origin}/v1/media/${e.id}?grant=${encodeURIComponent(token)}`);
    }
    const playbackUrl = (e: EpisodeRow) => grants.get(e.id) ?? null;
    return c.json({ items: entries.map((entry) => toQueueItem(entry, playbackUrl)) }, 200);
  })
  .post(
    '/admin/review-queue/series/:id/:decision{approve|reject}',
    requireAdmin,
    idParam(seriesIdSchema, 'Series'),
    decisionBody,
    async (c) => {
      const { id, decision } = c.req.valid('param');
      const d = decisionOf(c.var.user.id, decision, c.req.valid('json').reason);
      const approve = d.approve;
      const row = await decideSeries(c.env.DB, id, d);
      if (!row) {
        if (!(await findSeriesForReview(c.env.DB, id))) throw notFound('Series');
        throw nothingWaiting();
      }
      if (approve) await purgeCatalog(c.env.DB, row.creator_id);
      await tell(
        c.env,
        c.req.url,
        row.creator_id,
        approve ? 'series_approved' : 'series_rejected',
        row.title,
        c.req.valid('json').reason,
      );
      return c.json({ seriesId: row.id, status: row.status, review: row.review_state, reason: row.review_reason }, 200);
    },
  )
  .post(
    '/admin/review-queue/revisions/:id/:decision{approve|reject}',
    requireAdmin,
    idParam(seriesIdSchema, 'Series'),
    decisionBody,
    async (c) => {
      const { id, decision } = c.req.valid('param');
      const series = await findSeriesForReview(c.env.DB, id);
      if (!series) throw notFound('Series');
      if (series.revision_state !== 'pending') throw nothingWaiting();
      const d = decisionOf(c.var.user.id, decision, c.req.valid('json').reason);
      const approve = d.approve;
      const before = approve ? await catalogPaths(c.env.DB, series.creator_id) : [];
      // An uploaded cover waiting with the edit: its small copy was kept beside it until now.
      const held = series.pending_cover === 1 ? imageNameOf(series.pending_cover_url) : null;
      const thumb = held && approve ? ((await (await c.env.MEDIA.get(heldThumbKey(held)))?.text()) ?? null) : null;
      const row = await decideRevision(c.env.DB, series, d, held ? { name: held, thumb } : null);
      if (!row) throw nothingWaiting();
      const gone = approve
        ? series.pending_cover === 1 && series.cover_key
          ? [`${IMAGE_PREFIX}${series.cover_key}`]
          : []
        : held
          ? [`${IMAGE_PREFIX}${held}`]
          : [];
      if (held) gone.push(heldThumbKey(held));
      if (gone.length) await c.env.MEDIA.delete(gone);
      if (approve) await purgeCatalog(c.env.DB, series.creator_id, before);
      await tell(
        c.env,
        c.req.url,
        series.creator_id,
        approve ? 'revision_approved' : 'revision_rejected',
        row.title,
        c.req.valid('json').reason,
      );
      return c.json(
        { seriesId: row.id, title: row.title, revision: row.revision_state, reason: row.revision_reason },
        200,
      );
    },
  )
  .post(
    '/admin/review-queue/episodes/:id/:decision{approve|reject}',
    requireAdmin,
    idParam(episodeIdSchema, 'Episode'),
    decisionBody,
    async (c) => {
      const { id, decision } = c.req.valid('param');
      const d = decisionOf(c.var.user.id, decision, c.req.valid('json').reason);
      const approve = d.approve;
      const row = await decideEpisode(c.env.DB, id, d);
      if (!row) {
        if (!(await episodeExists(c.env.DB, id))) throw notFound('Episode');
        throw nothingWaiting();
      }
      await purgeCatalog(c.env.DB, row.creator_id);
      await tell(
        c.env,
        c.req.url,
        row.creator_id,
        approve ? 'episode_approved' : 'episode_rejected',
        row.series_title,
        c.req.valid('json').reason,
      );
      return c.json({ episodeId: row.id, review: approve ? null : 'rejected' }, 200);
    },
  )
  .post(
    '/admin/series/:id/takedown',
    requireAdmin,
    idParam(seriesIdSchema, 'Series'),
    validate('json', moderationReasonSchema),
    async (c) => {
      const id = c.req.valid('param').id;
      const row = await takeDown(c.env.DB, id, c.req.valid('json').reason, c.var.user.id, Date.now());
      if (!row) {
        if (!(await findSeriesForReview(c.env.DB, id))) throw notFound('Series');
        throw new ApiError(409, 'already_taken_down', 'This series is already taken down');
      }
      await afterTakedown(c.env, c.req.url, row);
      return c.json({ seriesId: row.id, takenDownAt: new Date(row.taken_down_at!).toISOString() }, 200);
    },
  )
  .post('/reports', requireUser, validate('json', reportSchema), async (c) => {
    const result = await insertReport(c.env.DB, c.var.user.id, c.req.valid('json'), Date.now());
    if ('refusal' in result) {
      if (result.refusal === 'not_found') throw notFound('What you reported');
      const retryAfter = Math.max(1, Math.ceil((result.retryAt! - Date.now()) / 1000));
      c.header('Retry-After', String(retryAfter));
      throw new ApiError(429, 'report_limit', 'At most 10 reports a day; try again later');
    }
    return c.json({ report: toReport(result.row) }, 201);
  })
  .get(
    '/admin/reports',
    requireAdmin,
    validate('query', z.strictObject({ status: z.enum(['open', 'resolved']).default('open') })),
    async (c) => c.json({ reports: await listReports(c.env.DB, c.req.valid('query').status === 'open') }, 200),
  )
  .post(
    '/admin/reports/:id/resolve',
    requireAdmin,
    idParam(reportIdSchema, 'Report'),
    validate('json', reportResolutionSchema),
    async (c) => {
      const report = await findOpenReport(c.env.DB, c.req.valid('param').id);
      if (!report) throw notFound('Open report');
      const { action, note } = c.req.valid('json');
      const now = Date.now();
      const adminId = c.var.user.id;
      if (action === 'remove_review') {
        if (report.target_kind !== 'review') {
          throw new ApiError(409, 'not_a_review', 'This report is not about a review', {
            issues: [{ path: 'action', message: 'Only a review can be removed' }],
          });
        }
        const creatorId = await removeReview(c.env.DB, report.target_id, adminId, note, now);
        if (creatorId) await purgeCatalog(c.env.DB, creatorId);
      } else if (action === 'take_down') {
        if (!note) {
          throw new ApiError(400, 'invalid_request', 'note: Say why: the creator reads it', {
            issues: [{ path: 'note', message: 'Say why: the creator reads it' }],
          });
        }
        const row = await takeDown(c.env.DB, report.series_id, note, adminId, now);
        if (row) await afterTakedown(c.env, c.req.url, row);
        else await dismissReport(c.env.DB, report, adminId, note, now);
      } else {
        await dismissReport(c.env.DB, report, adminId, note, now);
      }
      return c.json({ report: toReport((await findReport(c.env.DB, report.id))!) }, 200);
    },
  );

/** A series just taken down: its pages purged, its open checkouts closed in the background, its creator told why. */
async function afterTakedown(env: Env, url: string, row: SeriesRow) {
  await purgeCatalog(env.DB, row.creator_id);
  await queueSaleWindowClosing(env, { kind: 'off_sale', creatorId: row.creator_id, seriesId: row.id });
  await tell(env, url, row.creator_id, 'series_taken_down', row.title, row.takedown_reason ?? '');
}

/** Mails the creator what an admin decided (and why); a mail that cannot be queued never undoes the decision. */
async function tell(env: Env, url: string, creatorId: string, notice: ModerationNotice, title: string, reason: string) {
  const origin = publicOrigin(env, new URL(url).origin)!;
  await sendModerationMail(env, origin, creatorId, notice, { title, reason }).catch((err) =>
    console.error('moderation mail', err),
  );
}
