import type { AnchorSet } from '@series/core';
import { BUILT_IN_ANCHORS, effectiveAnchors } from '../../lib/anchors';
import { ItemWatcher } from '../../lib/items';
import { ask } from '../../lib/messaging';
import { watchNavigation } from '../../lib/navigation';
import { routeOf } from '../../lib/page';
import { callbackStats } from '../../lib/perf';
import { setTexts, t } from '../../lib/texts';
import { browser } from 'wxt/browser';
import { SearchBadges } from './badges';
import { OverlayController } from './controller';
import { OverlayHost } from './host';
import { Prefetcher } from './prefetch';
import css from './style.css?inline';

/** How long the first page waits for the served anchors (usually cached: a few ms) before using the built-in ones. */
const ANCHORS_WAIT_MS = 150;

export default defineContentScript({
  matches: ['https://www.tiktok.com/*'],
  runAt: 'document_end',
  async main(ctx) {
    let anchors: AnchorSet = BUILT_IN_ANCHORS;
    let anchorsVersion: number | null = null;
    const current = () => anchors;
    const served = ask({ type: 'anchors' });
    const loadTexts = async () => {
      const ui = await ask({ type: 'ui' });
      if (ui.ok) setTexts(ui.data.locale, ui.data.messages);
    };
    const texts = loadTexts();

    const host = await OverlayHost.create(ctx, css);
    const controller = new OverlayController(host, current);
    const prefetcher = new Prefetcher();
    const feed = new ItemWatcher({
      list: () => anchors.feed,
      onActive: (item, identity) => controller.showFeedItem(item, identity),
      onNear: (_item, identity) => prefetcher.add(identity),
    });
    const badges = new SearchBadges(current, (b) =>
      b.access === 'owned'
        ? t('extension.badge.owned', { number: b.episodeNumber })
        : b.access === 'free'
          ? t('extension.badge.free', { number: b.episodeNumber })
          : b.ready
            ? t('extension.badge.locked', { number: b.episodeNumber, price: b.price ?? '' })
            : t('extension.badge.notReady', { number: b.episodeNumber }),
    );

    const go = (href: string) => {
      const route = routeOf(href, anchors);
      if (route.kind !== 'feed') feed.stop();
      if (route.kind !== 'search') badges.stop();
      if (route.kind === 'page') return controller.showPage(route.page);
      controller.showPage(null);
      if (route.kind === 'feed') feed.start();
      if (route.kind === 'search') badges.start();
    };

    const useServed = (answer: Awaited<typeof served>) => {
      if (!answer.ok || answer.data.version === anchorsVersion) return false;
      anchorsVersion = answer.data.version;
      anchors = effectiveAnchors(answer.data.anchors);
      return true;
    };
    const early = await Promise.race([
      served,
      new Promise<null>((resolve) => setTimeout(resolve, ANCHORS_WAIT_MS, null)),
    ]);
    await texts;
    if (early) useServed(early);
    go(location.href);
    if (!early) {
      // Came late: read the page again with them (lists restart with the new selectors, the overlay re-anchors).
      void served.then((answer) => {
        if (!useServed(answer)) return;
        feed.stop();
        badges.stop();
        go(location.href);
        host.check();
      });
    }

    const stop = watchNavigation(go);
    // A language chosen in the popup applies at once: new texts, and data again (prices are formatted for it).
    const onStorage = (changes: Record<string, unknown>, area: string) => {
      if (area !== 'local' || !('locale' in changes)) return;
      void loadTexts().then(() => {
        controller.reload();
        if (routeOf(location.href, anchors).kind === 'search') {
          badges.stop();
          badges.start();
        }
      });
    };
    browser.storage.onChanged.addListener(onStorage);
    ctx.onInvalidated(() => {
      browser.storage.onChanged.removeListener(onStorage);
      stop();
      feed.stop();
      badges.stop();
    });
    // For the benchmark and the browser test, in this isolated world only (the page cannot see it).
    Object.assign(globalThis, {
      __series: { callbackStats, feedItems: () => feed.size, anchorsVersion: () => anchorsVersion },
    });
  },
});
