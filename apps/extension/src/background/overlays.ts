import type { PageOverlay, ProfileOverlay, SitePage, VideoOverlay } from '../lib/protocol';
import { sessionItem } from '../lib/storage';
import { checkoutState } from './checkout';
import { currentApiUrl } from './config';
import { lookupCreator, lookupVideo } from './lookups';
import { myPurchases } from './purchases';
import { episodeView, money, shelfSeries } from './views-model';

/** What the content script shows on a page of the video site. Public data by hash prefix, ownership local. */
export async function pageOverlay(page: SitePage): Promise<PageOverlay> {
  return page.kind === 'profile' ? profileOverlay(page.handle) : videoOverlay(page.handle, page.videoId);
}

async function profileOverlay(handle: string): Promise<ProfileOverlay> {
  const apiUrl = await currentApiUrl();
  const [creator, purchases, account] = await Promise.all([lookupCreator(apiUrl, handle), myPurchases(apiUrl), sessionItem.getValue()]);
  const onSale = new Set(creator?.series.map((s) => s.id) ?? []);
  // Bought from this handle but no longer listed: the creator was suspended or withdrew the series.
  const offSale = new Map<string, string>();
  for (const p of purchases) {
    if (p.creator.handle === handle && !onSale.has(p.series.id)) offSale.set(p.series.id, p.series.title);
  }
  return {
    kind: 'profile',
    handle,
    creator: creator ? { handle: creator.handle, displayName: creator.displayName } : null,
    shelf: creator?.series.map((s) => shelfSeries(s, purchases)) ?? [],
    offSale: [...offSale].map(([seriesId, title]) => ({ seriesId, title })),
    signedIn: !!account,
  };
}

async function videoOverlay(handle: string, videoId: string): Promise<VideoOverlay> {
  const apiUrl = await currentApiUrl();
  const [video, purchases, account] = await Promise.all([lookupVideo(apiUrl, videoId), myPurchases(apiUrl), sessionItem.getValue()]);
  // Only the page's own creator may sell on it: an episode that another account linked to this video is ignored.
  if (!video || video.series.creator.handle !== handle) return { kind: 'video', videoId, match: null, signedIn: !!account };
  const { series, episode } = video;
  return {
    kind: 'video',
    videoId,
    signedIn: !!account,
    match: {
      creator: series.creator,
      series: {
        id: series.id,
        title: series.title,
        episodeCount: series.episodeCount,
        bundlePrice: series.bundlePrice === null ? null : money(series.bundlePrice, series.currency),
      },
      episode: episodeView(episode, series, purchases),
      // No request here: an unlock in progress is resumed from what the background remembers.
      checkout: await checkoutState({ episodeId: episode.id }, false),
    },
  };
}
