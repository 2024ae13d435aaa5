import { BUILT_IN_ANCHORS } from '../../lib/anchors';
import { ItemWatcher } from '../../lib/items';
import { watchNavigation } from '../../lib/navigation';
import { routeOf } from '../../lib/page';
import { callbackStats } from '../../lib/perf';
import { SearchBadges } from './badges';
import { OverlayController } from './controller';
import { OverlayHost } from './host';
import { Prefetcher } from './prefetch';
import css from './style.css?inline';

export default defineContentScript({
  matches: ['https://www.tiktok.com/*'],
  runAt: 'document_end',
  async main(ctx) {
    const anchors = () => BUILT_IN_ANCHORS;
    const controller = new OverlayController(await OverlayHost.create(ctx, css), anchors);
    const prefetcher = new Prefetcher();
    const feed = new ItemWatcher({
      list: () => anchors().feed,
      onActive: (item, identity) => controller.showFeedItem(item, identity),
      onNear: (_item, identity) => prefetcher.add(identity),
    });
    const badges = new SearchBadges(anchors, (b) =>
      `▶ Series · Episode ${b.episodeNumber} · ${b.access === 'owned' ? 'Owned' : b.access === 'free' ? 'Free' : b.price}`,
    );

    const go = (href: string) => {
      const route = routeOf(href, anchors());
      if (route.kind !== 'feed') feed.stop();
      if (route.kind !== 'search') badges.stop();
      if (route.kind === 'page') return controller.showPage(route.page);
      controller.showPage(null);
      if (route.kind === 'feed') feed.start();
      if (route.kind === 'search') badges.start();
    };
    go(location.href);
    const stop = watchNavigation(go);
    ctx.onInvalidated(() => {
      stop();
      feed.stop();
      badges.stop();
    });
    // For the benchmark, in this isolated world only (the page cannot see it).
    Object.assign(globalThis, { __series: { callbackStats, feedItems: () => feed.size } });
  },
});
