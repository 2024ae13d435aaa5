import { describe, expect, it } from 'vitest';
import { buy, call, mineOne, publishedSeries, signup, startCheckout } from './helpers';

/** What the owner is told before trying: which episodes (and whether the series) have buyers, so cannot go. */
describe('sold flags in the owner’s series view', () => {
  it('marks an episode bought on its own, and the series; an open checkout does not count', async () => {
    const { owner, series, trailer, ep2, ep3 } = await publishedSeries();
    const viewer = await signup();
    const fresh = await mineOne(owner.token, series.id);
    expect(fresh.sold).toBe(false);
    expect(fresh.episodes.map((e: { sold: boolean }) => e.sold)).toEqual([false, false, false]);

    expect((await startCheckout(viewer.token, { episodeId: ep3.id })).status).toBe(201);
    expect((await mineOne(owner.token, series.id)).sold).toBe(false);

    await buy(viewer.token, { episodeId: ep2.id });
    const after = await mineOne(owner.token, series.id);
    expect(after.sold).toBe(true);
    expect(after.episodes.map((e: { id: string; sold: boolean }) => [e.id, e.sold])).toEqual([
      [trailer.id, false],
      [ep2.id, true],
      [ep3.id, false],
    ]);
    // The flag says what DELETE would answer.
    expect((await call('DELETE', `/v1/episodes/${ep2.id}`, { token: owner.token })).status).toBe(409);
    // An edit answers the episode with its flag too.
    const edited = await call('PATCH', `/v1/episodes/${ep2.id}`, { token: owner.token, body: { title: 'Two' } });
    expect(edited.json.episode.sold).toBe(true);
  });

  it('marks every episode once the whole series is bought', async () => {
    const { owner, series } = await publishedSeries();
    const viewer = await signup();
    await buy(viewer.token, { seriesId: series.id });
    const view = await mineOne(owner.token, series.id);
    expect(view.sold).toBe(true);
    expect(view.episodes.every((e: { sold: boolean }) => e.sold)).toBe(true);
  });
});
