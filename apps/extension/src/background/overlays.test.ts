import { describe, expect, it, vi } from 'vitest';

const series = {
  id: 'ser_demoLighthouseKeeper',
  slug: 'the-lighthouse-keeper',
  title: 'The Lighthouse Keeper',
  description: '',
  coverUrl: null,
  currency: 'USD',
  bundlePrice: 499,
  episodeCount: 1,
  freeEpisodeCount: 0,
  priceRange: { min: 199, max: 199 },
  creator: { handle: 'seriesdemo', displayName: 'Series Demo' },
  episodes: [],
};
const episode = { id: 'ep_demoLighthouse00002', number: 2, title: 'Part 2', durationSeconds: 60, price: 199, free: false, videoId: '7300000000000000002', releaseAt: null, released: true, hasVideo: true };

vi.mock('./lookups', () => ({
  lookupVideo: async () => ({ videoId: episode.videoId, series: { ...series, episodes: [episode] }, episode }),
  lookupCreator: async () => null,
}));
vi.mock('./purchases', () => ({ myPurchases: async () => [] }));
vi.mock('./checkout', () => ({ checkoutState: async () => ({ status: 'idle' }) }));
vi.mock('./config', () => ({ currentApiUrl: async () => 'http://127.0.0.1:8787' }));

const { pageOverlay } = await import('./overlays');

describe('video overlay', () => {
  it("shows the episode on its own creator's video page", async () => {
    const overlay = await pageOverlay({ kind: 'video', handle: 'seriesdemo', videoId: episode.videoId });
    expect(overlay.kind === 'video' && overlay.match?.series.id).toBe(series.id);
  });

  it("ignores an episode another account linked to this video: only the page's creator sells on it", async () => {
    const overlay = await pageOverlay({ kind: 'video', handle: 'someoneelse', videoId: episode.videoId });
    expect(overlay.kind === 'video' && overlay.match).toBeNull();
  });
});
