import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { completePurchase } from '../src/purchases/fulfilment';
import { call, publishedSeries, signup, startCheckout } from './helpers';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A purchase paid on a given day (the same completion code the Pay button runs, at a fixed time). */
async function paidOn(token: string, item: { episodeId: string } | { seriesId: string }, at: number) {
  const co = await startCheckout(token, item);
  await env.DB.prepare('UPDATE purchases SET created_at = ?, expires_at = ? WHERE id = ?').bind(at - 1000, at + DAY, co.json.purchaseId).run();
  const { outcome } = await completePurchase(env.DB, co.json.purchaseId, { now: at });
  expect(outcome).toBe('completed');
}

describe('unique buyers over a date range', () => {
  it('counts each buyer once, the same way for short ranges, long ranges and all time', async () => {
    const { owner, series, ep2, ep3 } = await publishedSeries();
    const today = Date.parse(iso(Date.now()));
    const [a, b, c] = [await signup(), await signup(), await signup()];
    // a: 300 and 2 days ago; b: 200 days ago and today; c: 150 days ago only.
    await paidOn(a.token, { episodeId: ep2.id }, today - 300 * DAY);
    await paidOn(a.token, { episodeId: ep3.id }, today - 2 * DAY);
    await paidOn(b.token, { episodeId: ep2.id }, today - 200 * DAY);
    await paidOn(b.token, { episodeId: ep3.id }, today);
    await paidOn(c.token, { seriesId: series.id }, today - 150 * DAY);

    const buyers = async (days: number | null) => {
      const query = days === null ? '' : `?from=${iso(today - (days - 1) * DAY)}&to=${iso(today)}`;
      const res = await call('GET', `/v1/analytics/summary${query}`, { token: owner.token });
      return res.json.totals[0]?.buyers ?? 0;
    };
    expect(await buyers(7)).toBe(2); // a and b: short range, counted from buyer_days
    expect(await buyers(30)).toBe(2);
    expect(await buyers(160)).toBe(3); // long range, counted from spans: c's only purchase is inside
    expect(await buyers(180)).toBe(3);
    expect(await buyers(250)).toBe(3); // b's span straddles the edge; a and c have days inside
    expect(await buyers(null)).toBe(3);
    // 299..160 days ago (a long range, so spans): a's span straddles it without a purchase inside, b bought
    // inside (200 days ago), c bought after it (150 days ago).
    const res = await call('GET', `/v1/analytics/summary?from=${iso(today - 299 * DAY)}&to=${iso(today - 160 * DAY)}`, { token: owner.token });
    expect(res.json.totals[0].buyers).toBe(1); // b (200 days ago)
  });
});
