// The ledger called directly, as its routes and payment adapters call it (no HTTP in between): the
// sale's lifecycle, refunds and disputes, and what they leave in the rollups.
import { commissionReversed, itemKey } from '@series/core';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { recordDispute, recordRefund } from '../src/ledger/adjustment-queries';
import { ownsEpisode } from '../src/ledger/queries';
import {
  cancelPurchase,
  completePurchase,
  findSaleItem,
  insertPurchase,
  pendingPurchase,
} from '../src/ledger/sale-queries';
import { newId } from '../src/lib/ids';
import { expectInvariants } from './invariants';
import { publishedSeries, signup } from './helpers';

const db = () => env.DB;

/** A pending purchase of episode 2 of a fresh series, started as the checkout route starts one. */
async function pending(opts: { commissionBps?: number } = {}) {
  const { owner, series, ep2 } = await publishedSeries();
  const buyer = await signup();
  const item = await findSaleItem(db(), { episodeId: ep2.id });
  const purchase = await insertPurchase(
    db(),
    pendingPurchase({
      id: newId('pur'),
      buyerId: buyer.user.id,
      item: { ...item, price: item.price! },
      itemKey: itemKey({ episodeId: ep2.id }),
      idempotencyKey: `ledger-${crypto.randomUUID()}`,
      commissionBps: opts.commissionBps ?? 0,
      provider: 'test',
      expiresAt: Date.now() + 3_600_000,
      returnTo: null,
      source: null,
    }),
  );
  if (!purchase) throw new Error('the purchase was not recorded');
  return { owner, series, ep2, buyer, purchase };
}

const salesOf = (creatorId: string) =>
  db()
    .prepare(
      'SELECT SUM(sales) AS sales, SUM(gross) AS gross, SUM(refunded) AS refunded, SUM(commission) AS commission, SUM(payout) AS payout FROM sales_daily WHERE creator_id = ?',
    )
    .bind(creatorId)
    .first<{ sales: number; gross: number; refunded: number; commission: number; payout: number }>();

describe('ledger: a sale', () => {
  it('starts at the database price with the commission in force split off, and a retry with the key finds it', async () => {
    const { purchase, ep2 } = await pending({ commissionBps: 1000 });
    expect(purchase).toMatchObject({
      status: 'pending',
      amount: 199,
      commission_bps: 1000,
      commission_amount: 19,
      payout_amount: 180,
    });
    expect(purchase.item_key).toBe(`episode:${ep2.id}`);
  });

  it('completes exactly once however many confirmations race, and only then moves the rollups', async () => {
    const { purchase, buyer, ep2, series } = await pending();
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => completePurchase(db(), purchase.id, { providerRef: 'test_race' })),
    );
    expect(outcomes.filter((o) => o.outcome === 'completed')).toHaveLength(1);
    expect(outcomes.every((o) => ['completed', 'already_completed'].includes(o.outcome))).toBe(true);
    expect(await ownsEpisode(db(), buyer.user.id, ep2.id, series.id)).toBe(true);
    expect(await salesOf(purchase.creator_id)).toMatchObject({ sales: 1, gross: 199 });
    // A cancellation after the sale changes nothing.
    expect((await cancelPurchase(db(), purchase.id))?.status).toBe('paid');
    await expectInvariants();
  });

  it('a cancelled purchase can no longer be completed, and counts nowhere', async () => {
    const { purchase } = await pending();
    expect((await cancelPurchase(db(), purchase.id))?.status).toBe('cancelled');
    expect((await completePurchase(db(), purchase.id)).outcome).toBe('cancelled');
    expect((await salesOf(purchase.creator_id))?.sales).toBeNull();
  });
});

describe('ledger: refunds and disputes', () => {
  it('partial refunds take back floor(R·C / A) of the commission, a full one all of it, and end access', async () => {
    const { purchase, buyer, ep2, series } = await pending({ commissionBps: 1000 });
    const paymentRef = `pi_${crypto.randomUUID()}`;
    await completePurchase(db(), purchase.id, { paymentRef });
    await recordRefund(db(), {
      id: `re_${crypto.randomUUID()}`,
      paymentRef,
      amount: 50,
      createdAt: Date.now(),
      failed: false,
    });
    let sales = await salesOf(purchase.creator_id);
    expect(sales).toMatchObject({ gross: 199, refunded: 50, commission: 19 - commissionReversed(50, 199, 19) });
    expect(await ownsEpisode(db(), buyer.user.id, ep2.id, series.id)).toBe(true);
    await recordRefund(db(), {
      id: `re_${crypto.randomUUID()}`,
      paymentRef,
      amount: 149,
      createdAt: Date.now(),
      failed: false,
    });
    sales = await salesOf(purchase.creator_id);
    expect(sales).toMatchObject({ refunded: 199, commission: 0, payout: 0 });
    expect(await ownsEpisode(db(), buyer.user.id, ep2.id, series.id)).toBe(false);
    await expectInvariants();
  });

  it('a refund reported twice applies once; one reported failed after it applied is reversed', async () => {
    const { purchase } = await pending();
    const paymentRef = `pi_${crypto.randomUUID()}`;
    await completePurchase(db(), purchase.id, { paymentRef });
    const refund = { id: `re_${crypto.randomUUID()}`, paymentRef, amount: 199, createdAt: Date.now(), failed: false };
    await recordRefund(db(), refund);
    await recordRefund(db(), refund);
    expect((await salesOf(purchase.creator_id))?.refunded).toBe(199);
    await recordRefund(db(), { ...refund, failed: true });
    expect((await salesOf(purchase.creator_id))?.refunded).toBe(0);
    const row = await db()
      .prepare('SELECT status FROM purchases WHERE id = ?')
      .bind(purchase.id)
      .first<{ status: string }>();
    expect(row?.status).toBe('paid');
    await expectInvariants();
  });

  it('a dispute suspends access and holds the money; won restores both', async () => {
    const { purchase, buyer, ep2, series } = await pending();
    const paymentRef = `pi_${crypto.randomUUID()}`;
    await completePurchase(db(), purchase.id, { paymentRef });
    const dispute = { id: `dp_${crypto.randomUUID()}`, paymentRef, amount: 199, createdAt: Date.now() };
    await recordDispute(db(), { ...dispute, state: 'open' });
    expect(await ownsEpisode(db(), buyer.user.id, ep2.id, series.id)).toBe(false);
    expect((await salesOf(purchase.creator_id))?.refunded).toBe(199);
    await recordDispute(db(), { ...dispute, state: 'won' });
    expect(await ownsEpisode(db(), buyer.user.id, ep2.id, series.id)).toBe(true);
    expect((await salesOf(purchase.creator_id))?.refunded).toBe(0);
    // A late "open" never reopens a dispute already won.
    await recordDispute(db(), { ...dispute, state: 'open' });
    expect(await ownsEpisode(db(), buyer.user.id, ep2.id, series.id)).toBe(true);
    await expectInvariants();
  });
});
