import { lookupHash, prefixRange } from '@series/core';
import type { CreatorRow } from '../lib/context.js';
import { listPublicSeriesOfCreator } from '../series/queries.js';
import { EPISODE_ORDER, groupBySeries, toPublicEpisode, type EpisodeRow } from '../episodes/queries.js';
import { toPublicSeries, type SeriesRow } from '../series/queries.js';
import { onSale } from '../lib/rules.js';

/** Rows written before hashes were stored, hashed a batch at a time by the first lookups that find them. */
const BACKFILL_BATCH = 100;

/**
 * Stores the missing handle and video hashes (rows from before migration 0004). Idempotent: the hash of a
 * key never changes, and each UPDATE only fills an empty column. Returns how many rows it hashed.
 */
export async function backfillLookupHashes(db: D1Database): Promise<number> {
  const [creators, videos] = await db.batch<{ id: string; key: string }>([
    // A claim that ended has no handle to hash (migration 0015); claiming again stores the new one's.
    db
      .prepare('SELECT id, handle AS key FROM creators WHERE handle_hash IS NULL AND handle IS NOT NULL LIMIT ?')
      .bind(BACKFILL_BATCH),
    db
      .prepare('SELECT id, video_id AS key FROM episodes WHERE video_id IS NOT NULL AND video_hash IS NULL LIMIT ?')
      .bind(BACKFILL_BATCH),
  ]);
  const updates: D1PreparedStatement[] = [];
  for (const row of creators?.results ?? []) {
    updates.push(
      db
        .prepare('UPDATE creators SET handle_hash = ?2 WHERE id = ?1 AND handle_hash IS NULL')
        .bind(row.id, await lookupHash(row.key)),
    );
  }
  for (const row of videos?.results ?? []) {
    // Bound to the video id it hashed: a concurrent relink keeps its own hash.
    updates.push(
      db
        .prepare('UPDATE episodes SET video_hash = ?3 WHERE id = ?1 AND video_id = ?2 AND video_hash IS NULL')
        .bind(row.id, row.key, await lookupHash(row.key)),
    );
  }
  if (updates.length) await db.batch(updates);
  return updates.length;
}

/** Whether any row still lacks its hash (cheap: both scans use indexes). */
async function hashesMissing(db: D1Database): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM creators WHERE handle_hash IS NULL AND handle IS NOT NULL)
           OR EXISTS (SELECT 1 FROM episodes WHERE video_id IS NOT NULL AND video_hash IS NULL) AS missing`,
    )
    .first<{ missing: number }>();
  return !!row?.missing;
}

async function withHashes(db: D1Database) {
  while (await hashesMissing(db)) {
    if (!(await backfillLookupHashes(db))) break;
  }
}

/**
 * Approved creators whose handle hash starts with `prefix`, each with their published series (only creators
 * with at least one). Nothing here is private: it is what `GET /v1/creators/:handle` shows, for many handles.
 */
export async function creatorsByHashPrefix(db: D1Database, prefix: string) {
  await withHashes(db);
  const [low, high] = prefixRange(prefix);
  const { results } = await db
    .prepare(
      `SELECT c.* FROM creators c
       WHERE c.handle_hash >= ?1 AND c.handle_hash < ?2 AND c.status = 'approved'
         AND EXISTS (SELECT 1 FROM series s WHERE s.creator_id = c.id AND ${onSale()})
       ORDER BY c.handle_hash`,
    )
    .bind(low, high)
    .all<CreatorRow & { handle_hash: string }>();
  return Promise.all(
    results.map(async (creator) => ({
      handleHash: creator.handle_hash,
      handle: creator.handle,
      displayName: creator.display_name,
      series: await listPublicSeriesOfCreator(db, creator),
    })),
  );
}

interface VideoMatchRow extends SeriesRow {
  episode_id: string;
  video_id: string;
  video_hash: string;
  handle: string;
  display_name: string;
}

/** Videos whose id hash starts with `prefix` and that are linked to an episode on sale, with episode and series. */
export async function videosByHashPrefix(db: D1Database, prefix: string) {
  await withHashes(db);
  const [low, high] = prefixRange(prefix);
  const { results: matches } = await db
    .prepare(
      `SELECT s.*, e.id AS episode_id, e.video_id, e.video_hash, c.handle, c.display_name
       FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
       WHERE e.video_hash >= ?1 AND e.video_hash < ?2 AND ${onSale()}
       ORDER BY e.video_hash`,
    )
    .bind(low, high)
    .all<VideoMatchRow>();
  if (!matches.length) return [];
  const seriesIds = [...new Set(matches.map((m) => m.id))];
  const { results: episodes } = await db
    .prepare(
      `SELECT * FROM episodes WHERE series_id IN (SELECT value FROM json_each(?1)) ORDER BY series_id, ${EPISODE_ORDER}`,
    )
    .bind(JSON.stringify(seriesIds))
    .all<EpisodeRow>();
  const bySeries = groupBySeries(episodes);
  return matches.map((m) => {
    const list = bySeries.get(m.id) ?? [];
    const index = list.findIndex((e) => e.id === m.episode_id);
    return {
      videoHash: m.video_hash,
      videoId: m.video_id,
      episode: toPublicEpisode(list[index]!, index + 1),
      series: toPublicSeries(m, list, m),
    };
  });
}
