import { lookupHash, prefixRange } from '@series/core';
import type { CreatorRow } from '../lib/context.js';
import { publicSeriesOf, publicSeriesStatements } from '../series/queries.js';
import {
  EPISODE_COLUMNS,
  EPISODE_ORDER,
  groupBySeries,
  toPublicEpisode,
  type EpisodeRow,
} from '../episodes/queries.js';
import { toPublicSeries, type SeriesRow } from '../series/queries.js';
import { ratingColumns } from '../reviews/queries.js';
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

/** Whether any row still lacks its hash (cheap: both scans use indexes), as the first statement of a lookup. */
const hashesMissing = (db: D1Database) =>
  db.prepare(
    `SELECT 1 AS missing WHERE EXISTS (SELECT 1 FROM creators WHERE handle_hash IS NULL AND handle IS NOT NULL)
        OR EXISTS (SELECT 1 FROM episodes WHERE video_id IS NOT NULL AND video_hash IS NULL)`,
  );

/**
 * Runs a lookup's statements in one round trip, with the check that no row lacks its hash: rows from before the
 * hashes (migration 0004) are hashed first, by the first lookups that find them, and the lookup read again.
 */
async function lookupBatch(db: D1Database, statements: D1PreparedStatement[]) {
  for (;;) {
    const [missing, ...results] = await db.batch<Record<string, unknown>>([hashesMissing(db), ...statements]);
    if (!missing?.results.length || !(await backfillLookupHashes(db))) return results;
  }
}

/**
 * Approved creators whose handle hash starts with `prefix`, each with their published series (only creators
 * with at least one). Nothing here is private: it is what `GET /v1/creators/:handle` shows, for many handles.
 */
export async function creatorsByHashPrefix(db: D1Database, prefix: string) {
  const [low, high] = prefixRange(prefix);
  // A renamed verified creator is also found under the hash of each former handle nobody holds now
  // (handle_redirects): the extension, on a page of the old handle, finds them under their current one.
  const formerInRange = `FROM handle_redirects r JOIN creators c ON c.id = r.creator_id
    WHERE r.handle_hash >= ?1 AND r.handle_hash < ?2 AND c.status = 'approved' AND c.handle IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM creators h WHERE h.handle = r.handle)`;
  const inRange = `SELECT c.id FROM creators c WHERE c.handle_hash >= ?1 AND c.handle_hash < ?2 AND c.status = 'approved'
    UNION SELECT c.id ${formerInRange}`;
  const [found, former, ...series] = await lookupBatch(db, [
    db
      .prepare(
        `SELECT c.* FROM creators c
         WHERE c.handle_hash >= ?1 AND c.handle_hash < ?2 AND c.status = 'approved'
           AND EXISTS (SELECT 1 FROM series s WHERE s.creator_id = c.id AND ${onSale()})
         ORDER BY c.handle_hash`,
      )
      .bind(low, high),
    db
      .prepare(
        `SELECT c.*, r.handle_hash AS former_hash, r.handle AS former_handle ${formerInRange}
           AND EXISTS (SELECT 1 FROM series s WHERE s.creator_id = c.id AND ${onSale()})
         ORDER BY r.handle_hash`,
      )
      .bind(low, high),
    ...publicSeriesStatements(db, inRange, low, high),
  ]);
  type Found = CreatorRow & { handle_hash: string; former_hash?: string; former_handle?: string };
  const entry = (creator: Found, handleHash: string) => ({
    handleHash,
    handle: creator.handle,
    displayName: creator.display_name,
    /** How the handle was proven the creator's (TikTok, a bio code); null: unverified. */
    verified: creator.verified_by ?? null,
    /** The former handle this entry is found under (the creator renamed on TikTok), or null. */
    formerHandle: creator.former_handle ?? null,
    series: publicSeriesOf(series, creator),
  });
  return [
    ...((found?.results ?? []) as unknown as Found[]).map((c) => entry(c, c.handle_hash)),
    ...((former?.results ?? []) as unknown as Found[]).map((c) => entry(c, c.former_hash!)),
  ].sort((a, b) => (a.handleHash < b.handleHash ? -1 : a.handleHash > b.handleHash ? 1 : 0));
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
  const [low, high] = prefixRange(prefix);
  const matching = `FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id
    WHERE e.video_hash >= ?1 AND e.video_hash < ?2 AND ${onSale()}`;
  const [found, all] = await lookupBatch(db, [
    db
      .prepare(
        `SELECT s.*, e.id AS episode_id, e.video_id, e.video_hash, c.handle, c.display_name, c.verified_by, ${ratingColumns('s')} ${matching}
         ORDER BY e.video_hash`,
      )
      .bind(low, high),
    // Every episode of the matched series, for each match's number and its series' listing.
    db
      .prepare(
        `SELECT ${EPISODE_COLUMNS('episodes')} FROM episodes WHERE series_id IN (SELECT s.id ${matching})
         ORDER BY series_id, ${EPISODE_ORDER}`,
      )
      .bind(low, high),
  ]);
  const matches = (found?.results ?? []) as unknown as VideoMatchRow[];
  const bySeries = groupBySeries((all?.results ?? []) as unknown as EpisodeRow[]);
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
