import type { Context } from 'hono';
import { findReceipt } from '../ledger/queries.js';
import { firstInLedgers, ledgerFor } from '../ledger/placement.js';
import {
  createRefundRequest,
  findRefundRequestOf,
  REFUND_ANSWER_DAYS,
  REFUND_REQUEST_DAYS,
  type RefundRequestRow,
} from '../ledger/refund-queries.js';
import { ApiError, notFound } from '../lib/errors.js';
import { publicOrigin, sendRefundRequestMail } from '../mail/notices.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A random id for a request (`rfr_` and 22 base62 characters). */
function requestId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return `rfr_${[...crypto.getRandomValues(new Uint8Array(22))].map((b) => alphabet[b % 62]).join('')}`;
}

/**
 * The buyer asks for a refund: one request per purchase, within REFUND_REQUEST_DAYS of paying, while something is
 * left to refund. The creator is told by mail; unanswered for REFUND_ANSWER_DAYS, the platform grants it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function askForRefund(c: Context<any>, purchaseId: string, buyerId: string, reason: string) {
  const env = c.env as Env;
  const purchase = await firstInLedgers(env, (db) => findReceipt(db, purchaseId, buyerId));
  if (!purchase) throw notFound('Purchase');
  const db = ledgerFor(env, purchase.creator_id);
  const outcome = await createRefundRequest(db, { id: requestId(), purchaseId, buyerId, reason, now: Date.now() });
  if (outcome === 'exists') {
    throw new ApiError(409, 'refund_request_exists', 'A refund was asked for this purchase already');
  }
  if (outcome === 'refused') {
    throw new ApiError(
      409,
      'refund_window_closed',
      `Refunds can be asked within ${REFUND_REQUEST_DAYS} days of paying, for a purchase not refunded already`,
    );
  }
  const request = (await findRefundRequestOf(db, purchaseId))!;
  const origin = publicOrigin(env, new URL(c.req.url).origin)!;
  await sendRefundRequestMail(env, origin, request.id, purchase.creator_id).catch((err) =>
    console.error('refund request mail', err),
  );
  return request;
}

export const toRefundRequest = (r: RefundRequestRow) => ({
  id: r.id,
  purchaseId: r.purchase_id,
  reason: r.reason,
  status: r.status,
  answeredBy: r.answered_by,
  createdAt: new Date(r.created_at).toISOString(),
  answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
  /** Unanswered by then, it is granted. */
  grantedBy: new Date(r.created_at + REFUND_ANSWER_DAYS * DAY_MS).toISOString(),
});

/** What the receipt page shows of refunds for this purchase of the buyer's. */
export async function receiptRefundOf(
  db: D1Database,
  row: { id: string; status: string; amount: number; refunded_amount: number; paid_at: number | null },
  now = Date.now(),
): Promise<ReceiptRefundView> {
  const request = await findRefundRequestOf(db, row.id);
  const askUntil = row.paid_at === null ? null : row.paid_at + REFUND_REQUEST_DAYS * DAY_MS;
  return {
    request: request
      ? { status: request.status, createdAt: request.created_at, answeredBy: request.answered_by }
      : null,
    canAsk:
      !request && row.status === 'paid' && row.refunded_amount < row.amount && askUntil !== null && now < askUntil,
    askUntil,
  };
}

export interface ReceiptRefundView {
  request: { status: 'pending' | 'granted' | 'declined'; createdAt: number; answeredBy: string | null } | null;
  canAsk: boolean;
  askUntil: number | null;
  error?: string;
}
