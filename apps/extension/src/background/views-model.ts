import { bundlePriceFor, formatMoney, isCurrency, type Locale } from '@series/core';
import type { EpisodeView, ShelfSeries } from '../lib/protocol';
import { ownsEpisode, ownsSeries, type Purchase } from './ownership';
import type { PublicSeries } from './lookups';

type PublicEpisode = PublicSeries['episodes'][number];

/** Minor units in the series' currency, for people in their language ("$1.99", "1,99 $US", "¥500"). */
export function money(amount: number, currency: string, locale: Locale): string {
  return isCurrency(currency) ? formatMoney(amount, currency, locale) : `${amount} ${currency}`;
}

export function priceRangeLabel(series: Pick<PublicSeries, 'priceRange' | 'currency'>, locale: Locale): string | null {
  const range = series.priceRange;
  if (!range) return null;
  return range.min === range.max
    ? money(range.min, series.currency, locale)
    : `${money(range.min, series.currency, locale)}–${money(range.max, series.currency, locale)}`;
}

/**
 * What "buy all" costs this viewer: the whole-series price less what they paid for its episodes they own (net of
 * refunds, never a gift received; core's `bundlePriceFor`, the rule the ledger charges by). `completes` when that is less than the full
 * price, so the button says "Complete the series". Signed out, or owning nothing of it: the full price.
 */
export function bundleOffer(
  series: Pick<PublicSeries, 'id' | 'bundlePrice' | 'currency'> & { bundleSale?: { price: number } | null },
  purchases: Purchase[],
  locale: Locale,
): { bundlePrice: string | null; bundleCompletes: boolean } {
  if (series.bundlePrice === null) return { bundlePrice: null, bundleCompletes: false };
  const paid = purchases
    .filter((p) => p.active && p.kind === 'episode' && p.seriesId === series.id)
    // A gift received carries no price (what its giver paid is theirs): it gives no credit, as in the ledger.
    .reduce((sum, p) => sum + Math.max(0, (p.amount ?? 0) - (p.refundedAmount ?? 0)), 0);
  // A temporary discount on the whole series comes first, the credit for episodes owned after it (the ledger's order).
  const whole = series.bundleSale?.price ?? series.bundlePrice;
  const price = bundlePriceFor(whole, paid, series.currency);
  return { bundlePrice: money(price, series.currency, locale), bundleCompletes: price < whole };
}

/** An episode's price as shown: "$1.99", or while a temporary discount runs "$1.99 → $1.59" (what checkout charges). */
function episodePrice(episode: Pick<PublicEpisode, 'price' | 'sale'>, currency: string, locale: Locale) {
  if (episode.price === null) return null;
  const list = money(episode.price, currency, locale);
  return episode.sale ? `${list} → ${money(episode.sale.price, currency, locale)}` : list;
}

/**
 * The picture the shelf shows, without asking our server for it (that request would say whose profile the viewer
 * is on): the small copy carried inline in the hash-prefix lookup (a `data:` URL), else a cover the creator hosts
 * elsewhere (loaded without a referrer); never a cover uploaded to our server.
 */
export function shelfCover(series: Pick<PublicSeries, 'coverUrl' | 'coverThumb'>): string | null {
  if (series.coverThumb?.startsWith('data:image/')) return series.coverThumb;
  if (!series.coverUrl) return null;
  try {
    return new URL(series.coverUrl).pathname.startsWith('/v1/images/') ? null : series.coverUrl;
  } catch {
    return null;
  }
}

export function shelfSeries(series: PublicSeries, purchases: Purchase[], locale: Locale): ShelfSeries {
  return {
    id: series.id,
    title: series.title,
    coverUrl: shelfCover(series),
    episodeCount: series.episodeCount,
    freeEpisodeCount: series.freeEpisodeCount,
    priceRange: priceRangeLabel(series, locale),
    ...bundleOffer(series, purchases, locale),
    ownedAll: ownsSeries(purchases, series.id),
  };
}

export function episodeView(
  episode: PublicEpisode,
  series: Pick<PublicSeries, 'id' | 'currency'>,
  purchases: Purchase[],
  locale: Locale,
): EpisodeView {
  return {
    id: episode.id,
    number: episode.number,
    title: episode.title,
    durationSeconds: episode.durationSeconds,
    access: episode.free ? 'free' : ownsEpisode(purchases, series.id, episode.id) ? 'owned' : 'locked',
    price: episodePrice(episode, series.currency, locale),
    released: episode.released,
    releaseAt: episode.releaseAt,
    hasVideo: episode.hasVideo,
  };
}
