import type {
  EpisodeMatch,
  FeedOverlay,
  ListItem,
  PageOverlay,
  ProfileOverlay,
  SearchBadge,
  SitePage,
  VideoOverlay,
} from '../lib/protocol';
import type { Locale } from '@series/core';
import { sessionItem } from '../lib/storage';
import { checkoutState } from './checkout';
import { currentApiUrl } from './config';
import { currentLocale } from './locale';
import { lookupCreator, lookupVideo, type LookedUpVideo } from './lookups';
import { myPurchases } from './purchases';
import type { Purchase } from './ownership';
import { episodeView, bundleOffer, money, shelfSeries } from './views-model';

/** What the content script shows on a page of the video site. Public data by hash prefix, ownership local. */
export async function pageOverlay(page: SitePage): Promise<PageOverlay> {
  return page.kind === 'profile' ? profileOverlay(page.handle) : videoOverlay(page.handle, page.videoId);
}

async function profileOverlay(handle: string): Promise<ProfileOverlay> {
  const apiUrl = await currentApiUrl();
  const [creator, purchases, account, locale] = await Promise.all([
    lookupCreator(apiUrl, handle),
    myPurchases(apiUrl),
    sessionItem.getValue(),
    currentLocale(),
  ]);
  const onSale = new Set(creator?.series.map((s) => s.id) ?? []);
  // Bought from this handle but no longer listed: the creator was suspended or withdrew the series.
  const offSale = new Map<string, string>();
  for (const p of purchases) {
    if (p.creator.handle === handle && !onSale.has(p.series.id)) offSale.set(p.series.id, p.series.title);
  }
  return {
    kind: 'profile',
    handle,
    creator: creator
      ? { handle: creator.handle, displayName: creator.displayName, verified: creator.verified ?? null }
      : null,
    shelf: creator?.series.map((s) => shelfSeries(s, purchases, locale)) ?? [],
    offSale: [...offSale].map(([seriesId, title]) => ({ seriesId, title })),
    signedIn: !!account,
  };
}

/**
 * The episode this video is linked to, if its creator is the one whose video it is: an episode that another
 * account linked to someone else's video is ignored.
 */
async function episodeMatch(
  video: LookedUpVideo | null,
  handle: string,
  purchases: Purchase[],
  locale: Locale,
): Promise<EpisodeMatch | null> {
  if (!video || video.series.creator.handle !== handle) return null;
  const { series, episode } = video;
  return {
    creator: series.creator,
    series: {
      id: series.id,
      title: series.title,
      episodeCount: series.episodeCount,
      ...bundleOffer(series, purchases, locale),
    },
    episode: episodeView(episode, series, purchases, locale),
    // No request here: an unlock in progress is resumed from what the background remembers.
    checkout: await checkoutState({ episodeId: episode.id }, false),
  };
}

async function videoOverlay(handle: string, videoId: string): Promise<VideoOverlay> {
  const apiUrl = await currentApiUrl();
  const [video, purchases, account, locale] = await Promise.all([
    lookupVideo(apiUrl, videoId),
    myPurchases(apiUrl),
    sessionItem.getValue(),
    currentLocale(),
  ]);
  return { kind: 'video', videoId, match: await episodeMatch(video, handle, purchases, locale), signedIn: !!account };
}

/**
 * The feed item in view: its episode when the video is linked to one, else its creator when they sell series.
 * Both buckets are asked at once (each from the cache when it holds it), so the answer comes in one round.
 */
export async function feedOverlay(item: ListItem): Promise<FeedOverlay> {
  const apiUrl = await currentApiUrl();
  const [video, creator, purchases, account, locale] = await Promise.all([
    item.videoId ? lookupVideo(apiUrl, item.videoId) : null,
    lookupCreator(apiUrl, item.handle),
    myPurchases(apiUrl),
    sessionItem.getValue(),
    currentLocale(),
  ]);
  const match = await episodeMatch(video, item.handle, purchases, locale);
  return {
    kind: 'feed',
    handle: item.handle,
    videoId: item.videoId,
    match,
    creator:
      !match && creator?.series.length
        ? {
            handle: creator.handle,
            displayName: creator.displayName,
            series: creator.series.map((s) => ({ id: s.id, title: s.title, episodeCount: s.episodeCount })),
          }
        : null,
    signedIn: !!account,
  };
}

/** Warms the lookups of items about to scroll into view; failures wait for the real request. */
export async function prefetch(items: ListItem[]): Promise<{ warmed: number }> {
  const apiUrl = await currentApiUrl();
  const lookups = items.flatMap((item) => [
    lookupCreator(apiUrl, item.handle),
    ...(item.videoId ? [lookupVideo(apiUrl, item.videoId)] : []),
  ]);
  const settled = await Promise.allSettled(lookups);
  return { warmed: settled.filter((s) => s.status === 'fulfilled').length };
}

/** Badges for search cards: only cards whose video is an episode on sale, by its own creator. */
export async function searchBadges(
  items: (ListItem & { videoId: string })[],
): Promise<{ badges: (SearchBadge | null)[] }> {
  const apiUrl = await currentApiUrl();
  const [purchases, locale] = await Promise.all([myPurchases(apiUrl).catch(() => []), currentLocale()]);
  const badges = await Promise.all(
    items.map(async (item): Promise<SearchBadge | null> => {
      const video = await lookupVideo(apiUrl, item.videoId).catch(() => null);
      if (!video || video.series.creator.handle !== item.handle) return null;
      const view = episodeView(video.episode, video.series, purchases, locale);
      return {
        videoId: item.videoId,
        episodeNumber: view.number,
        seriesTitle: video.series.title,
        access: view.access,
        price: view.price,
        ready: view.hasVideo,
      };
    }),
  );
  return { badges };
}
