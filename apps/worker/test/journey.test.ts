import { describe, expect, it } from 'vitest';
import { buy, call, publishedSeries, signup, startCheckout, submitCheckout } from './helpers';

describe('a viewer buys an episode end to end', () => {
  it('browses, is refused, pays through the test checkout, then gets a playback grant', async () => {
    const { owner, series, trailer, ep2 } = await publishedSeries();
    const viewer = await signup();

    const profile = await call('GET', `/v1/creators/${owner.handle}`);
    expect(profile.status).toBe(200);
    expect(profile.json.series).toHaveLength(1);
    expect(profile.json.series[0].episodes.map((e: { number: number }) => e.number)).toEqual([1, 2, 3]);

    expect((await call('GET', `/v1/episodes/${trailer.id}/access`)).status).toBe(200);
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`)).status).toBe(401);
    const refused = await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token });
    expect(refused.status).toBe(402);
    expect(refused.json.buyOptions).toEqual([
      { kind: 'episode', episodeId: ep2.id, amount: 199, currency: 'USD' },
      { kind: 'series', seriesId: series.id, amount: 499, fullAmount: 499, currency: 'USD' },
    ]);

    const checkout = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect(checkout.status).toBe(201);
    const page = await call(
      'GET',
      new URL(checkout.json.checkoutUrl).pathname + new URL(checkout.json.checkoutUrl).search,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('Pay $1.99');
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).status).toBe(402);

    const paid = await submitCheckout(checkout.json.checkoutUrl);
    expect(paid.status).toBe(303);
    const granted = await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token });
    expect(granted.status).toBe(200);
    expect(granted.json.reason).toBe('purchased');
    expect(new Date(granted.json.grant.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);

    const library = await call('GET', '/v1/me/purchases', { token: viewer.token });
    expect(library.json.purchases).toHaveLength(1);
    expect(library.json.purchases[0]).toMatchObject({ kind: 'episode', episode: { id: ep2.id, number: 2 } });

    const summary = await call('GET', '/v1/analytics/summary', { token: owner.token });
    expect(summary.json.totals).toEqual([
      { currency: 'USD', sales: 1, gross: 199, refunded: 0, commission: 0, payout: 199, tax: 0, buyers: 1 },
    ]);
    const perEpisode = await call('GET', `/v1/analytics/episodes?seriesId=${series.id}`, { token: owner.token });
    expect(perEpisode.json.rows.map((r: { sales: number }) => r.sales)).toEqual([0, 1, 0]);
    await buy(viewer.token, { seriesId: series.id });
    const after = await call('GET', `/v1/analytics/episodes?seriesId=${series.id}`, { token: owner.token });
    // The viewer owned episode 2: the whole series cost them 499 - 199.
    expect(after.json.rows.at(-1)).toMatchObject({ kind: 'series', sales: 1, gross: 300, payout: 300 });
  });
});
