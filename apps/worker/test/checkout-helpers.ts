// Shared by the checkout test files.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { call } from './helpers';

// ---------------------------------------------------------------------------------------------
// local helpers

interface LedgerRow {
  id: string;
  buyer_id: string;
  item_key: string;
  amount: number;
  currency: string;
  status: string;
  status_reason: string | null;
  paid_at: number | null;
  completion_id: string | null;
  commission_amount: number;
  payout_amount: number;
}

export const ledger = (purchaseId: string) =>
  env.DB.prepare('SELECT * FROM purchases WHERE id = ?').bind(purchaseId).first<LedgerRow>();

export const purchasesOf = async (buyerId: string) =>
  (
    await env.DB.prepare('SELECT * FROM purchases WHERE buyer_id = ? ORDER BY created_at, id')
      .bind(buyerId)
      .all<LedgerRow>()
  ).results;

/** The checkout page path (with its signed query) as a browser would open it. */
export const pagePath = (checkoutUrl: string) => {
  const url = new URL(checkoutUrl);
  return url.pathname + url.search;
};

export const sigOf = (checkoutUrl: string) => new URL(checkoutUrl).searchParams.get('sig')!;

/** Posts the Pay/Cancel form with an arbitrary `sig` field (or none). */
export function postForm(purchaseId: string, action: string, sig: string | null) {
  const form = new URLSearchParams();
  if (sig !== null) form.set('sig', sig);
  return call('POST', `/checkout/${purchaseId}/${action}`, {
    raw: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

export async function purchaseStatus(token: string, purchaseId: string) {
  const res = await call('GET', `/v1/purchases/${purchaseId}`, { token });
  expect(res.status).toBe(200);
  return res.json.purchase as { id: string; status: string; statusReason: string | null; paidAt: string | null };
}

export async function salesOf(ownerToken: string) {
  const res = await call('GET', '/v1/analytics/summary', { token: ownerToken });
  expect(res.status).toBe(200);
  return res.json.totals as { currency: string; sales: number; gross: number; payout: number; buyers: number }[];
}

// ---------------------------------------------------------------------------------------------
