import type { AnchorSet, AnchorsDocument } from '@series/core';
import { auditStatement, sql } from '../lib/audit.js';

/** An extension_anchors row (migration 0014). */
export interface AnchorsRow {
  version: number;
  document: string;
  published_at: number;
}

export const toAnchorsDocument = (row: AnchorsRow): AnchorsDocument => ({
  version: row.version,
  publishedAt: new Date(row.published_at).toISOString(),
  anchors: JSON.parse(row.document) as AnchorSet,
});

/** The set in force: the highest version, or null before the first publish. */
export function latestAnchors(db: D1Database) {
  return db
    .prepare('SELECT version, document, published_at FROM extension_anchors ORDER BY version DESC LIMIT 1')
    .first<AnchorsRow>();
}

/**
 * Publishes a set as the next version, with its audit row, in one batch. The version is worked out in the
 * INSERT itself (D1 runs one batch at a time, so two publishes get two versions); with `expectedVersion` the
 * INSERT happens only if that is still the latest (0: none yet), so an admin never overwrites a set they did
 * not see. Returns the published row, or null when `expectedVersion` was stale.
 */
export async function publishAnchors(
  db: D1Database,
  actorId: string,
  anchors: AnchorSet,
  expectedVersion: number | null,
) {
  const publishId = crypto.randomUUID();
  const now = Date.now();
  const [inserted] = await db.batch([
    db
      .prepare(
        `INSERT INTO extension_anchors (version, document, published_by, published_at, publish_id)
         SELECT COALESCE(MAX(version), 0) + 1, ?1, ?2, ?3, ?4 FROM extension_anchors
         HAVING ?5 IS NULL OR COALESCE(MAX(version), 0) = ?5
         RETURNING version, document, published_at`,
      )
      .bind(JSON.stringify(anchors), actorId, now, publishId, expectedVersion),
    auditStatement(
      db,
      {
        actorId,
        action: 'extension.anchors.publish',
        target: sql(`'v' || version`),
        detail: sql(`json_object('version', version)`),
        now,
      },
      { from: 'extension_anchors', where: 'publish_id = ?7', binds: [publishId] },
    ),
  ]);
  return (inserted?.results[0] as AnchorsRow | undefined) ?? null;
}
