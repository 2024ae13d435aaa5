import type { PurchaseRow } from './rows.js';

export interface ReceiptRow extends PurchaseRow {
  series_title: string;
  series_slug: string;
  handle: string;
  display_name: string;
  episode_title: string | null;
  episode_number: number | null;
}

/** 1-based number of a purchase's episode in its series' current order (null for a whole-series purchase). */
const EPISODE_NUMBER = `CASE WHEN e.id IS NULL THEN NULL ELSE 1 + (SELECT COUNT(*) FROM episodes o WHERE o.series_id = e.series_id
  AND (o.position, o.created_at, o.id) < (e.position, e.created_at, e.id)) END`;

const RECEIPT_SELECT = `SELECT p.*, s.title AS series_title, s.slug AS series_slug, s.cover_url, c.handle, c.display_name,
    e.title AS episode_title, ${EPISODE_NUMBER} AS episode_number
  FROM purchases p JOIN series s ON s.id = p.series_id JOIN creators c ON c.id = p.creator_id
  LEFT JOIN episodes e ON e.id = p.episode_id`;

/** Everything a buyer paid for ("Purchased content"), newest first: the API's list and the library page. */
export async function listLibrary(db: D1Database, buyerId: string) {
  const { results } = await db
    .prepare(`${RECEIPT_SELECT} WHERE p.buyer_id = ? AND p.status = 'paid' ORDER BY p.paid_at DESC, p.id`)
    .bind(buyerId)
    .all<ReceiptRow & { cover_url: string | null }>();
  return results;
}

/** One purchase of this buyer's, for its receipt; someone else's is indistinguishable from a missing one. */
export function findReceipt(db: D1Database, purchaseId: string, buyerId: string) {
  return db
    .prepare(`${RECEIPT_SELECT} WHERE p.id = ?1 AND p.buyer_id = ?2`)
    .bind(purchaseId, buyerId)
    .first<ReceiptRow & { cover_url: string | null }>();
}
