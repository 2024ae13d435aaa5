// What GET /v1/me/series/:id answers for a creator's own series and its episodes, for the pages' tests: the
// defaults describe a published USD series; each test overrides what it is about.
export const SERIES_ID = 'ser_aaaaaaaaaaaaaaaaaaaa';
const CREATED = '2026-01-01T00:00:00.000Z';

export const ownerEpisode = (number: number, extra: Record<string, unknown> = {}) => ({
  id: `ep_${number}`,
  seriesId: SERIES_ID,
  number,
  title: `Part ${number}`,
  durationSeconds: 60,
  price: 299,
  free: false,
  videoId: null,
  releaseAt: null,
  released: true,
  hasVideo: true,
  videoVerified: false,
  review: null,
  media: null,
  createdAt: CREATED,
  updatedAt: CREATED,
  ...extra,
});

export const ownerSeries = (extra: Record<string, unknown> = {}) => ({
  id: SERIES_ID,
  slug: 'night-ferry',
  title: 'Night Ferry',
  description: '',
  coverUrl: null,
  currency: 'USD',
  bundlePrice: null,
  status: 'published',
  episodeCount: 2,
  priceRange: { min: 299, max: 299 },
  createdAt: CREATED,
  updatedAt: CREATED,
  publishedAt: CREATED,
  episodes: [ownerEpisode(1), ownerEpisode(2)],
  warnings: [],
  ...extra,
});
