import { lookupHash } from '@series/core';
import { describe, expect, it, vi } from 'vitest';
import type { LookedUpVideo } from './lookups';

const series = {
  id: 'ser_demoLighthouseKeeper',
  slug: 'the-lighthouse-keeper',
  title: 'The Lighthouse Keeper',
  description: '',
  coverUrl: null,
  coverThumb: null,
  currency: 'USD',
  bundlePrice: 499,
  bundleSale: null,
  rating: { average: null, count: 0 },
  episodeCount: 1,
  freeEpisodeCount: 0,
  priceRange: { min: 199, max: 199 },
  creator: { handle: 'seriesdemo', displayName: 'Series Demo', verified: null },
  episodes: [],
} satisfies LookedUpVideo['series'];
const episode = {
  id: 'ep_demoLighthouse00002',
  number: 2,
  title: 'Part 2',
  durationSeconds: 60,
  price: 199,
  free: false,
  videoId: '7300000000000000002',
  releaseAt: null,
  released: true,
  hasVideo: true,
  thumbnailUrl: null,
  sale: null,
} satisfies LookedUpVideo['episode'];

// Each stand-in is checked against the real module's types, so it cannot drift from what overlays.ts receives.
vi.mock(
  './lookups',
  () =>
    ({
      lookupVideo: async () => ({
        videoHash: await lookupHash(episode.videoId),
        videoId: episode.videoId,
        series: { ...series, episodes: [episode] },
        episode,
      }),
      lookupCreator: async () => null,
    }) satisfies Partial<typeof import('./lookups')>,
);
vi.mock('./purchases', () => ({ myPurchases: async () => [] }) satisfies Partial<typeof import('./purchases')>);
vi.mock(
  './checkout',
  () => ({ checkoutState: async () => ({ phase: 'none' }) }) satisfies Partial<typeof import('./checkout')>,
);
vi.mock(
  './config',
  () => ({ currentApiUrl: async () => 'http://127.0.0.1:8787' }) satisfies Partial<typeof import('./config')>,
);
vi.mock('./locale', () => ({ currentLocale: async () => 'en' as const }) satisfies Partial<typeof import('./locale')>);

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
