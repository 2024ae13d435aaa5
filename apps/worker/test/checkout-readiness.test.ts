// Nothing is sold that cannot be watched: a premium episode is sellable once its video is installed, the whole
// series once one of its premium episodes is; publishing says what cannot be sold yet.
import { describe, expect, it } from 'vitest';
import {
  addEpisode,
  call,
  createSeries,
  creator,
  expectError,
  installVideo,
  signup,
  startCheckout,
  submitCheckout,
} from './helpers';
import { expectInvariants } from './invariants';

/** A published series whose two premium episodes have no video yet (and a bundle price). */
async function comingSoon() {
  const owner = await creator();
  const series = await createSeries(owner.token, { bundlePrice: 499 });
  const trailer = await addEpisode(owner.token, series.id, { title: 'Trailer', price: null, durationSeconds: 60 });
  const ep2 = await addEpisode(owner.token, series.id, { title: 'Part 2', price: 199 });
  const ep3 = await addEpisode(owner.token, series.id, { title: 'Part 3', price: 299 });
  const published = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
  expect(published.status).toBe(200);
  return { owner, series, trailer, ep2, ep3, published };
}

describe('checkout sells only what can be watched', () => {
  it('answers 409 episode_not_ready for a premium episode without its video, and sells it once installed', async () => {
    const { owner, ep2 } = await comingSoon();
    const viewer = await signup();
    expectError(await startCheckout(viewer.token, { episodeId: ep2.id }), 409, 'episode_not_ready');
    await installVideo(owner.token, ep2.id);
    const co = await startCheckout(viewer.token, { episodeId: ep2.id });
    expect(co.status).toBe(201);
    expect((await submitCheckout(co.json.checkoutUrl)).status).toBe(303);
    expect((await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token })).json.mediaReady).toBe(true);
    await expectInvariants();
  });

  it('answers 409 series_not_ready for "buy all" while no premium episode can be watched', async () => {
    const { owner, series, ep3 } = await comingSoon();
    const viewer = await signup();
    expectError(await startCheckout(viewer.token, { seriesId: series.id }), 409, 'series_not_ready');
    // Not offered publicly either: the storefront, the extension and the lookups read bundlePrice.
    expect((await call('GET', `/v1/series/${series.id}`)).json.series.bundlePrice).toBeNull();
    await installVideo(owner.token, ep3.id);
    expect((await call('GET', `/v1/series/${series.id}`)).json.series.bundlePrice).toBe(499);
    expect((await startCheckout(viewer.token, { seriesId: series.id })).status).toBe(201);
  });

  it('offers a buyer without the episode only what can be bought (402 with mediaReady false)', async () => {
    const { owner, series, ep2, ep3 } = await comingSoon();
    const viewer = await signup();
    const locked = await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token });
    expect(locked.status).toBe(402);
    expect(locked.json).toMatchObject({ mediaReady: false, buyOptions: [] });
    await installVideo(owner.token, ep3.id);
    // Episode 2 is still coming soon, but the whole series (which covers it) is now on sale.
    const later = await call('GET', `/v1/episodes/${ep2.id}/access`, { token: viewer.token });
    expect(later.json.mediaReady).toBe(false);
    expect(later.json.buyOptions).toEqual([
      { kind: 'series', seriesId: series.id, amount: 499, fullAmount: 499, currency: 'USD' },
    ]);
    const ready = await call('GET', `/v1/episodes/${ep3.id}/access`, { token: viewer.token });
    expect(ready.json.mediaReady).toBe(true);
    expect(ready.json.buyOptions.map((o: { kind: string }) => o.kind)).toEqual(['episode', 'series']);
  });

  it('shows a premium episode without its video as coming soon on the storefront, with nothing to buy', async () => {
    const { owner, series, ep2 } = await comingSoon();
    const slug = (await call('GET', `/v1/series/${series.id}`)).json.series.slug as string;
    const page = await call('GET', `/@${owner.handle}/${slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Coming soon');
    expect(page.text).not.toContain('data-action="buy"');
    const fr = await call('GET', `/@${owner.handle}/${slug}/2?lang=fr`);
    expect(fr.text).toContain('Bientôt disponible');
    expect(fr.text).not.toContain(`data-action="buy" data-episode="${ep2.id}"`);
  });
});

describe('publishing warns about what cannot be sold', () => {
  it('lists the premium episodes without a video and the whole series in the publish answer and the owner view', async () => {
    const { owner, series, ep2, ep3, published } = await comingSoon();
    const expected = [
      { code: 'episode_not_ready', episodeId: ep2.id, number: 2, title: 'Part 2' },
      { code: 'episode_not_ready', episodeId: ep3.id, number: 3, title: 'Part 3' },
      { code: 'series_not_ready' },
    ];
    expect(published.json.warnings).toEqual(expected);
    expect(published.json.series.warnings).toEqual(expected);
    await installVideo(owner.token, ep2.id);
    const view = await call('GET', `/v1/me/series/${series.id}`, { token: owner.token });
    expect(view.json.series.warnings).toEqual([
      { code: 'episode_not_ready', episodeId: ep3.id, number: 3, title: 'Part 3' },
    ]);
    await installVideo(owner.token, ep3.id);
    const again = await call('POST', `/v1/series/${series.id}/publish`, { token: owner.token });
    expect(again.json.warnings).toEqual([]);
  });
});
