import { formatMoney, isCurrency, type Locale } from '@series/core';
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

export function shelfSeries(series: PublicSeries, purchases: Purchase[], locale: Locale): ShelfSeries {
  return {
    id: series.id,
    title: series.title,
    coverUrl: series.coverUrl,
    episodeCount: series.episodeCount,
    freeEpisodeCount: series.freeEpisodeCount,
    priceRange: priceRangeLabel(series, locale),
    bundlePrice: series.bundlePrice === null ? null : money(series.bundlePrice, series.currency, locale),
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
    price: episode.price === null ? null : money(episode.price, series.currency, locale),
    released: episode.released,
    releaseAt: episode.releaseAt,
    hasVideo: episode.hasVideo,
  };
}
