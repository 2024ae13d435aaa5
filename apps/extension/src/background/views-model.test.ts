import { describe, expect, it } from 'vitest';
import type { Purchase } from './ownership';
import { episodeView, priceRangeLabel, shelfCover, shelfSeries, bundleOffer } from './views-model';

const purchase = (p: Partial<Purchase>): Purchase =>
  ({ active: true, kind: 'episode', seriesId: 'ser_a', episodeId: null, ...p }) as Purchase;

const episode = (over: Record<string, unknown> = {}) => ({
  id: 'ep_2',
  number: 2,
  title: 'Two',
  durationSeconds: 60,
  price: 199 as number | null,
  free: false,
  videoId: null,
  releaseAt: null as string | null,
  released: true,
  hasVideo: true,
  thumbnailUrl: null,
  sale: null as { price: number; endsAt: string } | null,
  ...over,
});

describe('views-model', () => {
  it('formats price ranges in the series currency', () => {
    expect(priceRangeLabel({ currency: 'USD', priceRange: { min: 199, max: 299 } }, 'en')).toBe('$1.99–$2.99');
    expect(priceRangeLabel({ currency: 'USD', priceRange: { min: 199, max: 199 } }, 'en')).toBe('$1.99');
    expect(priceRangeLabel({ currency: 'JPY', priceRange: { min: 500, max: 500 } }, 'en')).toBe('¥500');
    expect(priceRangeLabel({ currency: 'USD', priceRange: null }, 'en')).toBeNull();
    // In the viewer's language: French writes the amount first, with a decimal comma.
    expect(priceRangeLabel({ currency: 'EUR', priceRange: { min: 199, max: 299 } }, 'fr')).toBe(
      '1,99\u00a0€–2,99\u00a0€',
    );
    expect(priceRangeLabel({ currency: 'EUR', priceRange: { min: 199, max: 199 } }, 'en')).toBe('€1.99');
  });

  it('works out access locally from the purchases list', () => {
    const s = { id: 'ser_a', currency: 'USD' as const };
    expect(episodeView(episode({ price: null, free: true }), s, [], 'en').access).toBe('free');
    expect(episodeView(episode(), s, [], 'en').access).toBe('locked');
    expect(episodeView(episode(), s, [], 'en').price).toBe('$1.99');
    // A temporary discount: the list price, then what checkout charges.
    const sale = { price: 159, endsAt: '2026-12-13T00:00:00.000Z' };
    expect(episodeView(episode({ sale }), s, [], 'en').price).toBe('$1.99 → $1.59');
    expect(episodeView(episode({ sale }), { ...s, currency: 'EUR' as const }, [], 'fr').price).toBe(
      '1,99\u00a0€ → 1,59\u00a0€',
    );
    expect(episodeView(episode(), s, [purchase({ episodeId: 'ep_2' })], 'en').access).toBe('owned');
    expect(episodeView(episode(), s, [purchase({ kind: 'series' })], 'en').access).toBe('owned');
    // Another series' bundle, another episode, or a purchase under dispute give nothing.
    expect(episodeView(episode(), s, [purchase({ kind: 'series', seriesId: 'ser_b' })], 'en').access).toBe('locked');
    expect(episodeView(episode(), s, [purchase({ episodeId: 'ep_3' })], 'en').access).toBe('locked');
    expect(episodeView(episode(), s, [purchase({ episodeId: 'ep_2', active: false })], 'en').access).toBe('locked');
  });

  it('shows the cover carried in the lookup, never one it would have to fetch from our server', () => {
    const thumb = 'data:image/webp;base64,UklGRg==';
    expect(shelfCover({ coverUrl: 'https://api.series.example/v1/images/img_a.webp', coverThumb: thumb })).toBe(thumb);
    expect(shelfCover({ coverUrl: 'https://api.series.example/v1/images/img_a.webp', coverThumb: null })).toBeNull();
    expect(shelfCover({ coverUrl: 'https://creator.example/cover.jpg', coverThumb: null })).toBe(
      'https://creator.example/cover.jpg',
    );
    expect(shelfCover({ coverUrl: null, coverThumb: 'javascript:alert(1)' })).toBeNull();
    expect(shelfCover({ coverUrl: null, coverThumb: null })).toBeNull();
  });

  it('builds shelf entries with episode count, price range and buy-all price', () => {
    const shelf = shelfSeries(
      {
        id: 'ser_a',
        slug: 'the-lighthouse-keeper',
        title: 'The Lighthouse Keeper',
        description: '',
        coverUrl: null,
        coverThumb: null,
        currency: 'USD',
        bundlePrice: 499,
        bundleSale: null,
        rating: { average: null, count: 0 },
        episodeCount: 5,
        freeEpisodeCount: 1,
        priceRange: { min: 199, max: 299 },
        creator: { handle: 'seriesdemo', displayName: 'Series Demo', verified: null },
        episodes: [],
      },
      [],
      'en',
    );
    expect(shelf).toEqual({
      id: 'ser_a',
      title: 'The Lighthouse Keeper',
      coverUrl: null,
      episodeCount: 5,
      freeEpisodeCount: 1,
      priceRange: '$1.99–$2.99',
      bundlePrice: '$4.99',
      bundleCompletes: false,
      ownedAll: false,
    });
  });

  it('prices "buy all" for this viewer: less what they paid for its episodes, net of refunds, never below the minimum', () => {
    const s = { id: 'ser_a', bundlePrice: 499, currency: 'USD' as const };
    const owned = (amount: number, refundedAmount = 0, over: Partial<Purchase> = {}) =>
      purchase({ episodeId: `ep_${amount}_${refundedAmount}`, amount, refundedAmount, ...over });
    expect(bundleOffer(s, [], 'en')).toEqual({ bundlePrice: '$4.99', bundleCompletes: false });
    // A discount on the whole series first ($3.99), then the credit for an episode owned ($1.99): $2.00.
    const onSale = { ...s, bundleSale: { price: 399 } };
    expect(bundleOffer(onSale, [], 'en')).toEqual({ bundlePrice: '$3.99', bundleCompletes: false });
    expect(bundleOffer(onSale, [owned(199)], 'en')).toEqual({ bundlePrice: '$2.00', bundleCompletes: true });
    expect(bundleOffer(s, [owned(199)], 'en')).toEqual({ bundlePrice: '$3.00', bundleCompletes: true });
    expect(bundleOffer(s, [owned(199, 100)], 'en')).toEqual({ bundlePrice: '$4.00', bundleCompletes: true });
    // Every episode owned: the minimum price still brings the episodes added later.
    expect(bundleOffer(s, [owned(299), owned(299)], 'en')).toEqual({ bundlePrice: '$0.99', bundleCompletes: true });
    // A disputed purchase, another series' episode, or a whole-series purchase pay for nothing here.
    expect(
      bundleOffer(s, [owned(199, 0, { active: false }), owned(199, 0, { seriesId: 'ser_b' })], 'en').bundleCompletes,
    ).toBe(false);
    expect(bundleOffer(s, [owned(199)], 'fr').bundlePrice).toBe('3,00\u00a0$US');
  });
});
