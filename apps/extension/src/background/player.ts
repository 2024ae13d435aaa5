import type { LibrarySeries, PlaybackInfo, SeriesView } from '../lib/protocol';
import { sessionItem } from '../lib/storage';
import { apiClient, fail, failureOf, reach } from './api';
import { currentApiUrl } from './config';
import { currentLocale } from './locale';
import { myPurchases } from './purchases';
import { bundleOffer, episodeView } from './views-model';
import { ownsSeries } from './ownership';

/** "My series": everything bought, grouped by series, newest purchase first. */
export async function library(): Promise<{ series: LibrarySeries[] }> {
  if (!(await sessionItem.getValue())) throw fail('signed_out', 'Sign in to see your series');
  const purchases = await myPurchases(await currentApiUrl());
  const bySeries = new Map<string, LibrarySeries>();
  for (const p of purchases) {
    if (!p.active) continue;
    const entry: LibrarySeries = bySeries.get(p.series.id) ?? {
      seriesId: p.series.id,
      title: p.series.title,
      coverUrl: p.series.coverUrl,
      creator: p.creator,
      wholeSeries: false,
      episodes: [],
    };
    if (p.episode) entry.episodes.push({ id: p.episode.id, number: p.episode.number, title: p.episode.title });
    else entry.wholeSeries = true;
    bySeries.set(p.series.id, entry);
  }
  for (const entry of bySeries.values()) entry.episodes.sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  return { series: [...bySeries.values()] };
}

/**
 * A series with every episode's state for the player. Off sale (404) it is shown only to its buyers, from
 * their purchases: `creator_suspended` when the creator's public profile is gone too, else `withdrawn`.
 */
export async function seriesView(seriesId: string): Promise<SeriesView> {
  const apiUrl = await currentApiUrl();
  const api = apiClient(apiUrl);
  const [res, purchases, locale] = await Promise.all([
    reach(api.v1.series[':id'].$get({ param: { id: seriesId } }), apiUrl),
    myPurchases(apiUrl),
    currentLocale(),
  ]);
  if (res.status === 200) {
    const { series } = await res.json();
    return {
      id: series.id,
      title: series.title,
      description: series.description,
      coverUrl: series.coverUrl,
      creator: series.creator,
      ...bundleOffer(series, purchases, locale),
      ownedAll: ownsSeries(purchases, series.id),
      availability: 'on_sale',
      episodes: series.episodes.map((e) => episodeView(e, series, purchases, locale)),
    };
  }
  if ((res.status as number) !== 404) throw await failureOf(res);
  const bought = purchases.filter((p) => p.active && p.seriesId === seriesId);
  const first = bought[0];
  if (!first) throw fail('not_on_sale', 'This series is not on sale: its creator was suspended or withdrew it.');
  const profile = await reach(api.v1.creators[':handle'].$get({ param: { handle: first.creator.handle } }), apiUrl);
  return {
    id: seriesId,
    title: first.series.title,
    description: '',
    coverUrl: first.series.coverUrl,
    creator: first.creator,
    bundlePrice: null,
    bundleCompletes: false,
    ownedAll: ownsSeries(purchases, seriesId),
    availability: (profile.status as number) === 404 ? 'creator_suspended' : 'withdrawn',
    episodes: bought.flatMap((p) =>
      p.episode
        ? [
            {
              id: p.episode.id,
              number: p.episode.number ?? 0,
              title: p.episode.title ?? '',
              durationSeconds: 0,
              access: 'owned' as const,
              price: null,
              released: true,
              releaseAt: null,
              hasVideo: true,
            },
          ]
        : [],
    ),
  };
}

/** A playback grant for an episode (`GET /v1/episodes/:id/access`); asked only when the viewer presses Watch. */
export async function access(episodeId: string): Promise<PlaybackInfo> {
  const apiUrl = await currentApiUrl();
  const account = await sessionItem.getValue();
  const res = await reach(
    apiClient(apiUrl, account?.token ?? null).v1.episodes[':id'].access.$get({ param: { id: episodeId } }),
    apiUrl,
  );
  if (res.status === 200) {
    const body = await res.json();
    return {
      episodeId: body.episodeId,
      playbackUrl: body.playbackUrl,
      expiresAt: body.grant.expiresAt,
      mediaReady: body.mediaReady,
    };
  }
  const failure = await failureOf(res);
  if (res.status === 401 && account) await sessionItem.setValue(null);
  if (res.status === 404)
    throw fail('not_on_sale', 'This episode is not available: its series is off sale.', { apiCode: 'not_found' });
  if (failure.error.code === 'not_released') failure.error.message = 'This episode is not released yet';
  throw failure;
}
