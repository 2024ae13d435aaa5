import { parseOffers, saleOn, slugCandidates, type Currency, type SeriesPatch } from '@series/core';
import type { CreatorRow } from '../lib/context.js';
import { notFound } from '../lib/errors.js';
import { isoOrNull } from '../lib/time.js';
import {
  EPISODE_ORDER,
  EPISODE_COLUMNS,
  groupBySeries,
  listEpisodes,
  withSold,
  openSessionsOf,
  toOwnerEpisode,
  toPublicEpisode,
  type EpisodeRow,
} from '../episodes/queries.js';
import { isEpisodeReady, isSeriesReady, onSale, REVIEW_REQUIRED } from '../lib/rules.js';
import { SOLD } from '../ledger/queries.js';
import { ratingColumns, toRating, type RatingColumns } from '../reviews/queries.js';

export interface SeriesRow extends RatingColumns {
  id: string;
  creator_id: string;
  title: string;
  description: string;
  cover_url: string | null;
  /** An uploaded cover's image name (cover_url is then its address) and small copy for the lookups (0020). */
  cover_key?: string | null;
  cover_thumb?: string | null;
  /** Review before going live and takedowns (migration 0031; see moderation/). */
  review_state?: 'pending' | 'approved' | 'rejected' | null;
  review_reason?: string | null;
  submitted_at?: number | null;
  reviewed_at?: number | null;
  revision_state?: 'pending' | 'rejected' | null;
  revision_reason?: string | null;
  revision_at?: number | null;
  pending_title?: string | null;
  pending_description?: string | null;
  pending_cover?: number;
  pending_cover_url?: string | null;
  taken_down_at?: number | null;
  takedown_reason?: string | null;
  currency: Currency;
  bundle_price: number | null;
  status: 'draft' | 'published';
  /** The address of the series on the storefront, `/@handle/<slug>` (see migration 0013). */
  slug: string;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

function priceRange(episodes: EpisodeRow[]) {
  const prices = episodes.flatMap((e) => (e.price === null ? [] : [e.price]));
  return prices.length ? { min: Math.min(...prices), max: Math.max(...prices) } : null;
}

/** What the public and the owner both see of a series. */
function seriesBasics(row: SeriesRow, episodes: EpisodeRow[]) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    coverUrl: row.cover_url,
    /** A small copy of an uploaded cover (a data: URL of at most 4 KB), so the extension needs no request for it. */
    coverThumb: row.cover_thumb ?? null,
    currency: row.currency,
    bundlePrice: row.bundle_price,
    episodeCount: episodes.length,
    priceRange: priceRange(episodes),
  };
}

export function toPublicSeries(
  row: SeriesRow,
  episodes: EpisodeRow[],
  creator: { handle: string; display_name: string; verified_by?: 'tiktok' | 'bio_code' | null },
) {
  return {
    ...seriesBasics(row, episodes),
    // The whole-series price on offer: none while no premium episode can be watched (nothing is sold before).
    bundlePrice: isSeriesReady(episodes) ? row.bundle_price : null,
    /** A temporary discount on the whole series (before a buyer's credit for the episodes they own), or null. */
    bundleSale: isSeriesReady(episodes) ? saleOn(row.bundle_price, parseOffers(episodes[0]?.offers), null) : null,
    freeEpisodeCount: episodes.filter((e) => e.price === null).length,
    /** Buyers' ratings that count (reviews/queries.ts reviewCounts): the average (null: none yet) and how many. */
    rating: toRating(row),
    /** `verified`: how the handle was proven the creator's (TikTok, a bio code), null: unverified. */
    creator: { handle: creator.handle, displayName: creator.display_name, verified: creator.verified_by ?? null },
    episodes: episodes.map((e, i) => toPublicEpisode(e, i + 1)),
  };
}

/**
 * What of the series cannot be sold as it stands, for its owner (the publish answer lists them, the dashboard shows
 * them): premium episodes without their video (lib/rules.ts `episodeReady`: "coming soon", checkout refuses them),
 * and the whole series while none of its premium episodes can be sold.
 */
export type SaleWarning =
  { code: 'episode_not_ready'; episodeId: string; number: number; title: string } | { code: 'series_not_ready' };

export function saleWarnings(row: Pick<SeriesRow, 'bundle_price'>, episodes: EpisodeRow[]): SaleWarning[] {
  const warnings: SaleWarning[] = episodes.flatMap((e, i) =>
    e.price !== null && !isEpisodeReady(e.media_key, e.review_state ?? null)
      ? [{ code: 'episode_not_ready' as const, episodeId: e.id, number: i + 1, title: e.title }]
      : [],
  );
  if (row.bundle_price !== null && !isSeriesReady(episodes)) warnings.push({ code: 'series_not_ready' });
  return warnings;
}

/**
 * Where the series stands with the platform, for its owner: its review (null: never asked, or edited since; asked on
 * the next publish while reviews are required), an edit of the live series waiting for review (the approved version
 * stays live meanwhile), and a takedown with the admin's reason.
 */
export function moderationOf(row: SeriesRow) {
  return {
    review: row.review_state
      ? {
          state: row.review_state,
          reason: row.review_reason ?? null,
          submittedAt: isoOrNull(row.submitted_at ?? null),
          reviewedAt: isoOrNull(row.reviewed_at ?? null),
        }
      : null,
    revision: row.revision_state
      ? {
          state: row.revision_state,
          reason: row.revision_reason ?? null,
          submittedAt: isoOrNull(row.revision_at ?? null),
          title: row.pending_title ?? null,
          description: row.pending_description ?? null,
          coverChanged: row.pending_cover === 1,
          coverUrl: row.pending_cover === 1 ? (row.pending_cover_url ?? null) : null,
        }
      : null,
    takenDown: row.taken_down_at
      ? { at: new Date(row.taken_down_at).toISOString(), reason: row.takedown_reason ?? '' }
      : null,
  };
}

export function toOwnerSeries(row: SeriesRow, episodes: EpisodeRow[]) {
  return {
    ...seriesBasics(row, episodes),
    status: row.status,
    warnings: saleWarnings(row, episodes),
    /** Someone bought from it (an episode or the whole series): it cannot be deleted, only unpublished. */
    sold: episodes.some((e) => e.sold === 1),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    publishedAt: isoOrNull(row.published_at),
    ...moderationOf(row),
    episodes: episodes.map((e, i) => toOwnerEpisode(e, i + 1)),
  };
}

/** A series with its episodes, as its owner sees it. */
export async function ownerView(db: D1Database, series: SeriesRow) {
  return toOwnerSeries(series, await withSold(db, series.id, await listEpisodes(db, series.id)));
}

/** The caller's own series, or 404: someone else's series is indistinguishable from a missing one. */
export async function findOwnedSeries(db: D1Database, creatorId: string, seriesId: string): Promise<SeriesRow> {
  const row = await db
    .prepare('SELECT * FROM series WHERE id = ? AND creator_id = ?')
    .bind(seriesId, creatorId)
    .first<SeriesRow>();
  if (!row) throw notFound('Series');
  return row;
}

/**
 * Published series of approved creators, with their episodes, as anyone may see them: two statements to batch
 * (read by `publicSeriesOf`), for the creators `creators` selects (SQL giving creator ids, with its `binds`).
 */
export function publicSeriesStatements(db: D1Database, creators: string, ...binds: unknown[]) {
  return [
    db
      .prepare(
        `SELECT s.*, ${ratingColumns('s')} FROM series s JOIN creators c ON c.id = s.creator_id WHERE s.creator_id IN (${creators})
           AND ${onSale()} ORDER BY s.published_at DESC, s.id`,
      )
      .bind(...binds),
    db
      .prepare(
        `SELECT ${EPISODE_COLUMNS('e')} FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
         WHERE s.creator_id IN (${creators}) AND ${onSale()} ORDER BY e.series_id, ${EPISODE_ORDER}`,
      )
      .bind(...binds),
  ];
}

/** One creator's public series from the results of `publicSeriesStatements`. */
export function publicSeriesOf(
  [series, episodes]: D1Result<Record<string, unknown>>[],
  creator: Pick<CreatorRow, 'id' | 'handle' | 'display_name'>,
) {
  const bySeries = groupBySeries(((episodes?.results ?? []) as unknown as EpisodeRow[]).filter(Boolean));
  return ((series?.results ?? []) as unknown as SeriesRow[])
    .filter((s) => s.creator_id === creator.id)
    .map((s) => toPublicSeries(s, bySeries.get(s.id) ?? [], creator));
}

/** An approved creator's published series (one round trip). */
export async function listPublicSeriesOfCreator(db: D1Database, creator: CreatorRow) {
  return publicSeriesOf(await db.batch(publicSeriesStatements(db, '?', creator.id)), creator);
}

/** One series if it is on sale: published, and its creator approved; its episodes in the same round trip. */
export async function findPublicSeries(db: D1Database, seriesId: string) {
  const [found, episodes] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT s.*, c.handle, c.display_name, c.verified_by, ${ratingColumns('s')}
         FROM series s JOIN creators c ON c.id = s.creator_id WHERE s.id = ? AND ${onSale()}`,
      )
      .bind(seriesId),
    db
      .prepare(`SELECT ${EPISODE_COLUMNS('episodes')} FROM episodes WHERE series_id = ? ORDER BY ${EPISODE_ORDER}`)
      .bind(seriesId),
  ]);
  const row = found?.results[0] as (SeriesRow & { handle: string; display_name: string }) | undefined;
  if (!row) throw notFound('Series');
  return toPublicSeries(row, (episodes?.results ?? []) as unknown as EpisodeRow[], row);
}

/**
 * Statements (for a batch) that give a series the first slug of its title that no other series of the creator
 * holds, or one it held before (renaming back to an old title brings its old address back). Every slug it held
 * stays in series_slugs, so old links keep answering with a redirect.
 */
export function assignSlug(db: D1Database, series: { id: string; creator_id: string }, title: string, now: number) {
  const candidates = JSON.stringify(slugCandidates(title, series.id));
  return [
    db
      .prepare(
        `INSERT INTO series_slugs (creator_id, slug, series_id, created_at)
         SELECT ?1, c.value, ?3, ?4 FROM json_each(?2) c
         WHERE NOT EXISTS (SELECT 1 FROM series_slugs t WHERE t.creator_id = ?1 AND t.slug = c.value AND t.series_id != ?3)
         ORDER BY c.key LIMIT 1
         ON CONFLICT (creator_id, slug) DO NOTHING`,
      )
      .bind(series.creator_id, candidates, series.id, now),
    db
      .prepare(
        `UPDATE series SET slug = (
           SELECT c.value FROM json_each(?2) c JOIN series_slugs t ON t.creator_id = ?1 AND t.slug = c.value AND t.series_id = ?3
           ORDER BY c.key LIMIT 1)
         WHERE id = ?3 RETURNING *`,
      )
      .bind(series.creator_id, candidates, series.id),
  ];
}

/** Creates a draft series and gives it its address, in one batch; the stored row. */
export async function insertSeries(db: D1Database, row: SeriesRow, now: number) {
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO series (id, creator_id, title, description, cover_url, currency, bundle_price, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
      )
      .bind(
        row.id,
        row.creator_id,
        row.title,
        row.description,
        row.cover_url,
        row.currency,
        row.bundle_price,
        now,
        now,
      ),
    ...assignSlug(db, row, row.title, now),
  ]);
  return (results.at(-1)?.results[0] as SeriesRow | undefined) ?? row;
}

/** Applies an owner's edit to a series in one batch (a new title may bring a new slug); the updated row. */
/**
 * The parameters of a series patch statement: ?1 the id, then a "given" flag and its value for the title (?2, ?3),
 * description (?4, ?5), cover (?6, ?7) and bundle price (?8, ?9), and ?10 the time; a flag tells a field left out
 * from one set to null.
 */
function patchBinds(seriesId: string, patch: SeriesPatch, now: number) {
  const given = (value: unknown) => (value !== undefined ? 1 : 0);
  return [
    seriesId,
    given(patch.title),
    patch.title ?? null,
    given(patch.description),
    patch.description ?? null,
    given(patch.coverUrl),
    patch.coverUrl ?? null,
    given(patch.bundlePrice),
    patch.bundlePrice ?? null,
    now,
  ];
}

export async function updateSeries(db: D1Database, series: SeriesRow, patch: SeriesPatch, now: number) {
  const update = db
    .prepare(
      `UPDATE series SET
         title = CASE WHEN ?2 THEN ?3 ELSE title END,
         description = CASE WHEN ?4 THEN ?5 ELSE description END,
         cover_url = CASE WHEN ?6 THEN ?7 ELSE cover_url END,
         cover_key = CASE WHEN ?6 THEN NULL ELSE cover_key END,
         cover_thumb = CASE WHEN ?6 THEN NULL ELSE cover_thumb END,
         bundle_price = CASE WHEN ?8 THEN ?9 ELSE bundle_price END,
         updated_at = ?10
       WHERE id = ?1 RETURNING *`,
    )
    .bind(...patchBinds(series.id, patch, now));
  const results = await db.batch([
    update,
    ...(patch.title !== undefined ? assignSlug(db, series, patch.title, now) : []),
  ]);
  return (results.at(-1)?.results[0] as SeriesRow | undefined) ?? null;
}

/** Whether anything in the series is for sale at a price (a bundle price, or a premium episode). */
export async function sellsPaidItems(db: D1Database, seriesId: string) {
  const paid = await db
    .prepare(
      `SELECT 1 FROM series s WHERE s.id = ?1 AND (s.bundle_price IS NOT NULL
         OR EXISTS (SELECT 1 FROM episodes WHERE series_id = ?1 AND price IS NOT NULL))`,
    )
    .bind(seriesId)
    .first();
  return paid !== null;
}

/** Publishes the series if its creator is approved and it has an episode; the published row, or null. */
export function publishSeries(db: D1Database, seriesId: string, now: number) {
  // Re-checked inside the UPDATE so a suspension or a last-episode delete racing this cannot slip through.
  return db
    .prepare(
      `UPDATE series SET status = 'published', published_at = COALESCE(published_at, ?2), updated_at = ?2
       WHERE id = ?1
         AND EXISTS (SELECT 1 FROM creators WHERE id = series.creator_id AND status = 'approved')
         AND taken_down_at IS NULL
         AND EXISTS (SELECT 1 FROM episodes WHERE series_id = ?1)
       RETURNING *`,
    )
    .bind(seriesId, now)
    .first<SeriesRow>();
}

/** The rollout status of the series' creator, to say why a publish was refused. */
export async function creatorStatusOf(db: D1Database, creatorId: string) {
  const creator = await db
    .prepare('SELECT status FROM creators WHERE id = ?')
    .bind(creatorId)
    .first<{ status: string }>();
  return creator?.status ?? null;
}

/** Takes the series off sale (back to draft); the updated row. */
export function unpublishSeries(db: D1Database, seriesId: string, now: number) {
  return db
    .prepare(`UPDATE series SET status = 'draft', updated_at = ? WHERE id = ? RETURNING *`)
    .bind(now, seriesId)
    .first<SeriesRow>();
}

/** The stored objects of every upload to the series' episodes. */
export async function seriesMediaKeys(db: D1Database, seriesId: string) {
  const { results } = await db
    .prepare(
      `SELECT u.r2_key FROM media_uploads u JOIN episodes e ON e.id = u.episode_id WHERE e.series_id = ?1
       UNION ALL SELECT 'images/' || cover_key FROM series WHERE id = ?1 AND cover_key IS NOT NULL
       UNION ALL SELECT 'images/' || thumb_key FROM episodes WHERE series_id = ?1 AND thumb_key IS NOT NULL`,
    )
    .bind(seriesId)
    .all<{ r2_key: string }>();
  return results.map((m) => m.r2_key);
}

/**
 * Deletes a series nobody bought from, with its episodes and unpaid checkouts, in one batch: whether it was
 * deleted, and the provider's sessions of the checkouts that were still open (to close there).
 */
export async function deleteUnsoldSeries(db: D1Database, seriesId: string) {
  const unsold = `NOT EXISTS (SELECT 1 FROM purchases WHERE series_id = ?1 AND ${SOLD})`;
  // Abandoned checkouts go with the series; sold series stay, since buyers keep access to what they paid for.
  const [checkouts, , deleted] = await db.batch([
    db
      .prepare(`DELETE FROM purchases WHERE series_id = ?1 AND ${unsold} RETURNING status, provider_ref`)
      .bind(seriesId),
    db.prepare(`DELETE FROM episodes WHERE series_id = ?1 AND ${unsold}`).bind(seriesId),
    db.prepare(`DELETE FROM series WHERE id = ?1 AND ${unsold}`).bind(seriesId),
  ]);
  return { deleted: (deleted?.meta.changes ?? 0) > 0, openSessions: openSessionsOf(checkouts?.results) };
}

/** Every series of the creator, newest first, with its episodes, as its owner sees them: one round trip. */
export async function listOwnedSeries(db: D1Database, creatorId: string) {
  const [series, episodes] = await db.batch<SeriesRow | EpisodeRow>([
    db.prepare('SELECT * FROM series WHERE creator_id = ? ORDER BY created_at DESC, id').bind(creatorId),
    db
      .prepare(
        `SELECT e.* FROM episodes e JOIN series s ON s.id = e.series_id
         WHERE s.creator_id = ? ORDER BY e.series_id, ${EPISODE_ORDER}`,
      )
      .bind(creatorId),
  ]);
  const bySeries = groupBySeries((episodes?.results ?? []) as EpisodeRow[]);
  return ((series?.results ?? []) as SeriesRow[]).map((s) => toOwnerSeries(s, bySeries.get(s.id) ?? []));
}

/** Whether a series must be reviewed before it goes live (the admins' platform setting; off without a row). */
export async function isReviewRequired(db: D1Database) {
  const row = await db.prepare(`SELECT ${REVIEW_REQUIRED} AS required`).first<{ required: number }>();
  return row?.required === 1;
}

/**
 * Submits a series for review instead of publishing it (reviews required): pending, as long as its creator is
 * approved, it has an episode and no admin took it down; the row, or null (then say why as publishing would).
 */
export function submitSeries(db: D1Database, seriesId: string, now: number) {
  return db
    .prepare(
      `UPDATE series SET review_state = 'pending', review_reason = NULL, submitted_at = ?2, reviewed_at = NULL, updated_at = ?2
       WHERE id = ?1 AND taken_down_at IS NULL
         AND EXISTS (SELECT 1 FROM creators WHERE id = series.creator_id AND status = 'approved')
         AND EXISTS (SELECT 1 FROM episodes WHERE series_id = ?1)
       RETURNING *`,
    )
    .bind(seriesId, now)
    .first<SeriesRow>();
}

/**
 * An owner's edit of a live series while reviews are required: the title, description and cover wait for review
 * (pending_*; a newer edit replaces the older one) and the approved version stays live; the bundle price applies at
 * once. The updated row.
 */
export async function holdRevision(db: D1Database, series: SeriesRow, patch: SeriesPatch, now: number) {
  return db
    .prepare(
      `UPDATE series SET
         pending_title = CASE WHEN ?2 THEN ?3 ELSE (CASE WHEN revision_state = 'pending' THEN pending_title END) END,
         pending_description = CASE WHEN ?4 THEN ?5 ELSE (CASE WHEN revision_state = 'pending' THEN pending_description END) END,
         pending_cover = CASE WHEN ?6 THEN 1 WHEN revision_state = 'pending' THEN pending_cover ELSE 0 END,
         pending_cover_url = CASE WHEN ?6 THEN ?7 ELSE (CASE WHEN revision_state = 'pending' THEN pending_cover_url END) END,
         revision_state = CASE WHEN ?2 OR ?4 OR ?6 THEN 'pending' ELSE revision_state END,
         revision_reason = CASE WHEN ?2 OR ?4 OR ?6 THEN NULL ELSE revision_reason END,
         revision_at = CASE WHEN ?2 OR ?4 OR ?6 THEN ?10 ELSE revision_at END,
         bundle_price = CASE WHEN ?8 THEN ?9 ELSE bundle_price END,
         updated_at = ?10
       WHERE id = ?1 RETURNING *`,
    )
    .bind(...patchBinds(series.id, patch, now))
    .first<SeriesRow>();
}

/** An edit of a series that is not live: it must be reviewed again before it goes live (reviews required). */
export function forgetReview(db: D1Database, seriesId: string) {
  return db
    .prepare(
      `UPDATE series SET review_state = NULL, review_reason = NULL WHERE id = ? AND status = 'draft' AND review_state IN ('approved', 'rejected')`,
    )
    .bind(seriesId)
    .run();
}

/** An episode just added to a live series, while reviews are required, waits for review (lib/rules.ts episodeReady). */
export function submitEpisodeIfLive(db: D1Database, episodeId: string, now: number) {
  return db
    .prepare(
      `UPDATE episodes SET review_state = 'pending', submitted_at = ?2
       WHERE id = ?1 AND ${REVIEW_REQUIRED} = 1
         AND EXISTS (SELECT 1 FROM series WHERE id = episodes.series_id AND status = 'published')`,
    )
    .bind(episodeId, now)
    .run();
}
