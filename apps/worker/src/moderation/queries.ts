import type { ReportInput } from '@series/core';
import { auditStatement } from '../lib/audit.js';
import { newId } from '../lib/ids.js';
import { REVIEW_REQUIRED } from '../lib/rules.js';
import { isoOrNull } from '../lib/time.js';
import { EPISODE_ORDER, groupBySeries, type EpisodeRow } from '../episodes/queries.js';
import { assignSlug, moderationOf, type SeriesRow } from '../series/queries.js';

/** The platform setting: whether series (and episodes added to live ones) are reviewed before going live. */
export async function readReviewSetting(db: D1Database) {
  const row = await db
    .prepare(
      `SELECT ${REVIEW_REQUIRED} AS required, (SELECT updated_at FROM platform_settings WHERE key = 'review_required') AS at`,
    )
    .first<{ required: number; at: number | null }>();
  return { reviewRequired: row?.required === 1, updatedAt: isoOrNull(row?.at ?? null) };
}

/** Turns reviews on or off, audited in the same batch (only when the value changes). */
export async function writeReviewSetting(db: D1Database, on: boolean, adminId: string, now: number) {
  const value = on ? '1' : '0';
  await db.batch([
    auditStatement(
      db,
      { actorId: adminId, action: 'platform.review_required', target: 'review_required', detail: { on }, now },
      { where: `${REVIEW_REQUIRED} != ?7`, binds: [on ? 1 : 0] },
    ),
    db
      .prepare(
        `INSERT INTO platform_settings (key, value, updated_at, updated_by) VALUES ('review_required', ?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .bind(value, now, adminId),
  ]);
}

interface QueueSeriesRow extends SeriesRow {
  handle: string;
  display_name: string;
}

/**
 * What waits for an admin, oldest first: series submitted for review, edits of live series, and episodes added to
 * live series; each with its series as it is live (or would go live), every episode, prices and the pending edit.
 * One round trip.
 */
export async function reviewQueue(db: D1Database) {
  const waiting = `SELECT s.id FROM series s WHERE s.review_state = 'pending' OR s.revision_state = 'pending'
    OR EXISTS (SELECT 1 FROM episodes p WHERE p.series_id = s.id AND p.review_state = 'pending')`;
  const [series, episodes] = await db.batch<Record<string, unknown>>([
    db.prepare(
      `SELECT s.*, c.handle, c.display_name,
         MIN(COALESCE(CASE WHEN s.review_state = 'pending' THEN s.submitted_at END, 9e15),
             COALESCE(CASE WHEN s.revision_state = 'pending' THEN s.revision_at END, 9e15),
             COALESCE((SELECT MIN(p.submitted_at) FROM episodes p WHERE p.series_id = s.id AND p.review_state = 'pending'), 9e15)) AS waiting_since
       FROM series s JOIN creators c ON c.id = s.creator_id WHERE s.id IN (${waiting})
       ORDER BY waiting_since, s.id LIMIT 50`,
    ),
    db.prepare(`SELECT e.* FROM episodes e WHERE e.series_id IN (${waiting}) ORDER BY e.series_id, ${EPISODE_ORDER}`),
  ]);
  const bySeries = groupBySeries((episodes?.results ?? []) as unknown as EpisodeRow[]);
  return ((series?.results ?? []) as unknown as (QueueSeriesRow & { waiting_since: number })[]).map((s) => ({
    row: s,
    episodes: bySeries.get(s.id) ?? [],
  }));
}

export type QueueEntry = Awaited<ReturnType<typeof reviewQueue>>[number];

/** A queue entry as the admin reads it (`playbackUrl` gives each episode's video to the admin). */
export function toQueueItem(entry: QueueEntry, playbackUrl: (e: EpisodeRow) => string | null) {
  const s = entry.row;
  return {
    series: {
      id: s.id,
      title: s.title,
      description: s.description,
      coverUrl: s.cover_url,
      currency: s.currency,
      bundlePrice: s.bundle_price,
      status: s.status,
      creator: { handle: s.handle, displayName: s.display_name },
      ...moderationOf(s),
    },
    /** What is asked: the series going live, an edit of the live series, and/or episodes added to it. */
    asks: [
      ...(s.review_state === 'pending' ? ['series' as const] : []),
      ...(s.revision_state === 'pending' ? ['revision' as const] : []),
      ...(entry.episodes.some((e) => e.review_state === 'pending') ? ['episodes' as const] : []),
    ],
    waitingSince: new Date(Math.min(s.waiting_since, Date.now())).toISOString(),
    episodes: entry.episodes.map((e, i) => ({
      id: e.id,
      number: i + 1,
      title: e.title,
      durationSeconds: e.duration_seconds,
      price: e.price,
      review: e.review_state ? { state: e.review_state, reason: e.review_reason ?? null } : null,
      hasVideo: e.media_key !== null,
      playbackUrl: playbackUrl(e),
    })),
  };
}

export type Decision = { adminId: string; now: number } & ({ approve: true } | { approve: false; reason: string });

/**
 * An admin's decision on a series submitted for review: approved, it goes live (if its creator is still approved and
 * no one took it down); rejected, it stays a draft with the reason its creator sees. Audited; the row, or null when
 * nothing was waiting.
 */
export async function decideSeries(db: D1Database, seriesId: string, d: Decision) {
  const audit = auditStatement(
    db,
    {
      actorId: d.adminId,
      action: d.approve ? 'series.review_approve' : 'series.review_reject',
      target: seriesId,
      detail: d.approve ? {} : { reason: d.reason },
      now: d.now,
    },
    { from: 'series', where: `id = ?7 AND review_state = 'pending'`, binds: [seriesId] },
  );
  const update = d.approve
    ? db
        .prepare(
          `UPDATE series SET review_state = 'approved', review_reason = NULL, reviewed_at = ?2, status = 'published',
             published_at = COALESCE(published_at, ?2), updated_at = ?2
           WHERE id = ?1 AND review_state = 'pending' AND taken_down_at IS NULL
             AND EXISTS (SELECT 1 FROM creators WHERE id = series.creator_id AND status = 'approved')
           RETURNING *`,
        )
        .bind(seriesId, d.now)
    : db
        .prepare(
          `UPDATE series SET review_state = 'rejected', review_reason = ?3, reviewed_at = ?2, updated_at = ?2
           WHERE id = ?1 AND review_state = 'pending' RETURNING *`,
        )
        .bind(seriesId, d.now, d.reason);
  const [, updated] = await db.batch([audit, update]);
  return (updated?.results[0] as SeriesRow | undefined) ?? null;
}

/**
 * An admin's decision on an edit of a live series: approved, the new title, description and cover go live (a new
 * title brings its address); rejected, the live version stays and the creator sees why. Audited.
 */
export async function decideRevision(
  db: D1Database,
  series: SeriesRow,
  d: Decision,
  /** An uploaded cover held for review: its stored name and small copy (null for a typed cover URL). */
  upload: { name: string; thumb: string | null } | null = null,
) {
  const audit = auditStatement(
    db,
    {
      actorId: d.adminId,
      action: d.approve ? 'series.revision_approve' : 'series.revision_reject',
      target: series.id,
      detail: d.approve ? {} : { reason: d.reason },
      now: d.now,
    },
    { from: 'series', where: `id = ?7 AND revision_state = 'pending'`, binds: [series.id] },
  );
  if (!d.approve) {
    const [, updated] = await db.batch([
      audit,
      db
        .prepare(
          `UPDATE series SET revision_state = 'rejected', revision_reason = ?2 WHERE id = ?1 AND revision_state = 'pending'
           RETURNING *`,
        )
        .bind(series.id, d.reason),
    ]);
    return (updated?.results[0] as SeriesRow | undefined) ?? null;
  }
  const title = series.pending_title;
  const results = await db.batch([
    audit,
    db
      .prepare(
        `UPDATE series SET title = COALESCE(pending_title, title), description = COALESCE(pending_description, description),
           cover_url = CASE WHEN pending_cover = 1 THEN pending_cover_url ELSE cover_url END,
           cover_key = CASE WHEN pending_cover = 1 THEN ?3 ELSE cover_key END,
           cover_thumb = CASE WHEN pending_cover = 1 THEN ?4 ELSE cover_thumb END,
           pending_title = NULL, pending_description = NULL, pending_cover = 0, pending_cover_url = NULL,
           revision_state = NULL, revision_reason = NULL, updated_at = ?2
         WHERE id = ?1 AND revision_state = 'pending' RETURNING *`,
      )
      .bind(series.id, d.now, upload?.name ?? null, upload?.thumb ?? null),
    ...(title != null ? assignSlug(db, series, title, d.now) : []),
  ]);
  return (results.at(-1)?.results[0] as SeriesRow | undefined) ?? null;
}

/** An admin's decision on an episode added to a live series: approved, it is sold and played; audited. */
export async function decideEpisode(db: D1Database, episodeId: string, d: Decision) {
  const [, updated] = await db.batch([
    auditStatement(
      db,
      {
        actorId: d.adminId,
        action: d.approve ? 'episode.review_approve' : 'episode.review_reject',
        target: episodeId,
        detail: d.approve ? {} : { reason: d.reason },
        now: d.now,
      },
      { from: 'episodes', where: `id = ?7 AND review_state = 'pending'`, binds: [episodeId] },
    ),
    d.approve
      ? db
          .prepare(
            `UPDATE episodes SET review_state = NULL, review_reason = NULL WHERE id = ?1 AND review_state = 'pending'
             RETURNING id, series_id, (SELECT creator_id FROM series WHERE id = episodes.series_id) AS creator_id,
               (SELECT title FROM series WHERE id = episodes.series_id) AS series_title`,
          )
          .bind(episodeId)
      : db
          .prepare(
            `UPDATE episodes SET review_state = 'rejected', review_reason = ?2 WHERE id = ?1 AND review_state = 'pending'
             RETURNING id, series_id, (SELECT creator_id FROM series WHERE id = episodes.series_id) AS creator_id,
               (SELECT title FROM series WHERE id = episodes.series_id) AS series_title`,
          )
          .bind(episodeId, d.reason),
  ]);
  return (
    (updated?.results[0] as { id: string; series_id: string; creator_id: string; series_title: string } | undefined) ??
    null
  );
}

/** A series as the review routes need it (any state), or null. */
export function findSeriesForReview(db: D1Database, seriesId: string) {
  return db.prepare('SELECT * FROM series WHERE id = ?').bind(seriesId).first<SeriesRow>();
}

/**
 * Takes a series down: off sale at once and never published again (its buyers keep what they bought), with the
 * reason its creator sees; the open reports about it are resolved in the same batch. Audited. The row, or null when
 * it was already down (or is missing).
 */
export async function takeDown(db: D1Database, seriesId: string, reason: string, adminId: string, now: number) {
  const [, updated] = await db.batch([
    auditStatement(
      db,
      { actorId: adminId, action: 'series.takedown', target: seriesId, detail: { reason }, now },
      { from: 'series', where: 'id = ?7 AND taken_down_at IS NULL', binds: [seriesId] },
    ),
    db
      .prepare(
        `UPDATE series SET status = 'draft', taken_down_at = ?2, takedown_reason = ?3, updated_at = ?2
         WHERE id = ?1 AND taken_down_at IS NULL RETURNING *`,
      )
      .bind(seriesId, now, reason),
    db
      .prepare(
        `UPDATE reports SET resolved_at = ?2, resolved_by = ?3, resolution = 'taken_down', note = ?4
         WHERE series_id = ?1 AND resolved_at IS NULL`,
      )
      .bind(seriesId, now, adminId, reason),
  ]);
  return (updated?.results[0] as SeriesRow | undefined) ?? null;
}

/** At most this many reports a day (the last 24 hours) per account. */
export const REPORTS_PER_DAY = 10;
const DAY_MS = 86_400_000;

/** The series a report's target belongs to (an SQL value from ?3 kind and ?4 id); null for an unknown target. */
const TARGET_SERIES = `CASE ?3
  WHEN 'series' THEN (SELECT id FROM series WHERE id = ?4)
  WHEN 'episode' THEN (SELECT series_id FROM episodes WHERE id = ?4)
  WHEN 'review' THEN (SELECT series_id FROM reviews WHERE id = ?4 AND removed_at IS NULL) END`;

/**
 * A viewer's report, in one statement that finds the target's series and counts the reporter's last 24 hours (so
 * concurrent reports cannot pass the limit); the row, or why not.
 */
export async function insertReport(db: D1Database, reporterId: string, input: ReportInput, now: number) {
  const [inserted, state] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `INSERT INTO reports (id, reporter_id, target_kind, target_id, series_id, reason, body, created_at)
         SELECT ?1, ?2, ?3, ?4, t.series_id, ?5, ?6, ?7 FROM (SELECT ${TARGET_SERIES} AS series_id) t
         WHERE t.series_id IS NOT NULL
           AND (SELECT COUNT(*) FROM reports WHERE reporter_id = ?2 AND created_at > ?7 - ${DAY_MS}) < ${REPORTS_PER_DAY}
         RETURNING *`,
      )
      .bind(newId('rpt'), reporterId, input.target.kind, input.target.id, input.reason, input.text, now),
    db
      .prepare(
        `SELECT ${TARGET_SERIES} AS series_id,
           (SELECT MIN(created_at) FROM (SELECT created_at FROM reports WHERE reporter_id = ?1 AND created_at > ?2 - ${DAY_MS}
              ORDER BY created_at DESC LIMIT ${REPORTS_PER_DAY})) AS oldest,
           (SELECT COUNT(*) FROM reports WHERE reporter_id = ?1 AND created_at > ?2 - ${DAY_MS}) AS recent`,
      )
      .bind(reporterId, now, input.target.kind, input.target.id),
  ]);
  const row = inserted?.results[0] as ReportRow | undefined;
  if (row) return { row };
  const s = state?.results[0] as { series_id: string | null; recent: number; oldest: number | null } | undefined;
  if (!s?.series_id) return { refusal: 'not_found' as const };
  // Over the limit: the oldest of the last ten reports leaves the window first.
  return { refusal: 'limit' as const, retryAt: (s.oldest ?? now) + DAY_MS };
}

export interface ReportRow {
  id: string;
  reporter_id: string | null;
  target_kind: 'series' | 'episode' | 'review';
  target_id: string;
  series_id: string;
  reason: string;
  body: string;
  created_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: 'dismissed' | 'review_removed' | 'taken_down' | null;
  note: string | null;
}

/** The report as its author sees it (and admins, with what it is about). */
export const toReport = (r: ReportRow) => ({
  id: r.id,
  target: { kind: r.target_kind, id: r.target_id },
  seriesId: r.series_id,
  reason: r.reason,
  text: r.body,
  createdAt: new Date(r.created_at).toISOString(),
  resolution: r.resolution,
  resolvedAt: isoOrNull(r.resolved_at),
  note: r.note,
});

/** Reports for the admins' queue (open ones, oldest first, or handled ones, newest first), with what they are about. */
export async function listReports(db: D1Database, open: boolean) {
  const { results } = await db
    .prepare(
      `SELECT r.*, s.title AS series_title, s.status AS series_status, s.taken_down_at, c.handle,
         e.title AS episode_title, v.stars AS review_stars, v.body AS review_text, v.removed_at AS review_removed_at
       FROM reports r JOIN series s ON s.id = r.series_id JOIN creators c ON c.id = s.creator_id
       LEFT JOIN episodes e ON r.target_kind = 'episode' AND e.id = r.target_id
       LEFT JOIN reviews v ON r.target_kind = 'review' AND v.id = r.target_id
       WHERE ${open ? 'r.resolved_at IS NULL' : 'r.resolved_at IS NOT NULL'}
       ORDER BY r.created_at ${open ? 'ASC' : 'DESC'}, r.id LIMIT 100`,
    )
    .all<
      ReportRow & {
        series_title: string;
        series_status: string;
        taken_down_at: number | null;
        handle: string;
        episode_title: string | null;
        review_stars: number | null;
        review_text: string | null;
        review_removed_at: number | null;
      }
    >();
  return results.map((r) => ({
    ...toReport(r),
    series: {
      id: r.series_id,
      title: r.series_title,
      handle: r.handle,
      live: r.series_status === 'published',
      takenDown: r.taken_down_at !== null,
    },
    episode: r.episode_title !== null ? { title: r.episode_title } : null,
    review:
      r.target_kind === 'review' && r.review_stars !== null
        ? { stars: r.review_stars, text: r.review_text ?? '', removed: r.review_removed_at !== null }
        : null,
  }));
}

/** An open report (its target), for resolving; null when missing or already handled. */
export function findOpenReport(db: D1Database, reportId: string) {
  return db.prepare('SELECT * FROM reports WHERE id = ? AND resolved_at IS NULL').bind(reportId).first<ReportRow>();
}

/** Dismisses an open report (nothing wrong found), audited. */
export async function dismissReport(db: D1Database, report: ReportRow, adminId: string, note: string, now: number) {
  const [, updated] = await db.batch([
    auditStatement(
      db,
      { actorId: adminId, action: 'report.dismiss', target: report.id, detail: { note }, now },
      { from: 'reports', where: 'id = ?7 AND resolved_at IS NULL', binds: [report.id] },
    ),
    db
      .prepare(
        `UPDATE reports SET resolved_at = ?2, resolved_by = ?3, resolution = 'dismissed', note = ?4
         WHERE id = ?1 AND resolved_at IS NULL RETURNING *`,
      )
      .bind(report.id, now, adminId, note),
  ]);
  return (updated?.results[0] as ReportRow | undefined) ?? null;
}

/**
 * Removes a reported review (no longer shown or counted) and resolves every open report of it, audited; the
 * series' creator, to purge its pages, or null when nothing changed.
 */
export async function removeReview(db: D1Database, reviewId: string, adminId: string, note: string, now: number) {
  const [, removed] = await db.batch([
    auditStatement(
      db,
      { actorId: adminId, action: 'review.remove', target: reviewId, detail: { note }, now },
      { from: 'reviews', where: 'id = ?7 AND removed_at IS NULL', binds: [reviewId] },
    ),
    db
      .prepare(
        `UPDATE reviews SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL
         RETURNING (SELECT creator_id FROM series WHERE id = reviews.series_id) AS creator_id`,
      )
      .bind(reviewId, now),
    db
      .prepare(
        `UPDATE reports SET resolved_at = ?2, resolved_by = ?3, resolution = 'review_removed', note = ?4
         WHERE target_kind = 'review' AND target_id = ?1 AND resolved_at IS NULL`,
      )
      .bind(reviewId, now, adminId, note),
  ]);
  return (removed?.results[0] as { creator_id: string } | undefined)?.creator_id ?? null;
}

/** A report in any state. */
export function findReport(db: D1Database, reportId: string) {
  return db.prepare('SELECT * FROM reports WHERE id = ?').bind(reportId).first<ReportRow>();
}

/** Whether an episode exists (to tell a missing one from one with nothing waiting). */
export async function episodeExists(db: D1Database, episodeId: string) {
  return (await db.prepare('SELECT 1 AS found FROM episodes WHERE id = ?').bind(episodeId).first()) !== null;
}
