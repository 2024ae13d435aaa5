import { browser } from 'wxt/browser';
import { apiClient } from '../background/api';
import { currentAnchors } from '../background/anchors';
import { sessionInfo, setApiUrl, signIn, signOut } from '../background/account';
import { checkoutState, openSignIn, unlock } from '../background/checkout';
import { currentApiUrl } from '../background/config';
import { missingHostAccess } from '../lib/host-access';
import { setLocale, uiInfo } from '../background/locale';
import { feedOverlay, pageOverlay, prefetch, searchBadges } from '../background/overlays';
import { access, library, seriesView } from '../background/player';
import { route, type Handlers } from '../background/router';
import { ViewsReporter } from '../background/views';

export default defineBackground(() => {
  // Anonymous on purpose: no token, no page, just which unlock buttons were shown.
  const views = new ViewsReporter(async (episodeIds) => {
    const apiUrl = await currentApiUrl();
    await apiClient(apiUrl).v1.views.$post({ json: { episodeIds } });
  });

  const handlers: Handlers = {
    ui: () => uiInfo(),
    setLocale: (m) => setLocale(m.locale),
    page: (m) => pageOverlay(m.page),
    anchors: () => currentAnchors(),
    feedItem: (m) => feedOverlay(m.item),
    prefetch: (m) => prefetch(m.items),
    badges: (m) => searchBadges(m.items),
    unlock: (m) => unlock(m.item, m.promoCode),
    checkoutState: (m) => checkoutState(m.item),
    openPlayer: async (m) => {
      const query = new URLSearchParams({
        series: m.target.seriesId,
        ...(m.target.episodeId ? { episode: m.target.episodeId } : {}),
      });
      await browser.tabs.create({ url: browser.runtime.getURL(`/player.html?${query}`) });
      return { opened: true };
    },
    openSignIn: async () => {
      await openSignIn();
      return { opened: true };
    },
    shown: async (m) => ({ queued: views.add(m.episodeIds) }),
    session: () => sessionInfo(),
    signIn: (m) => signIn('login', m.email, m.password),
    signUp: (m) => signIn('signup', m.email, m.password),
    signOut: () => signOut(),
    library: () => library(),
    setApiUrl: (m) => setApiUrl(m.url),
    series: (m) => seriesView(m.seriesId),
    access: (m) => access(m.episodeId),
  };

  // Installed without access to the site or the API (Firefox may not grant MV3 host permissions at install):
  // the popup asks for them, opened in a tab since nothing else would tell the viewer.
  // Only at install: someone who withdrew the access later has the popup's notice, not a tab at every update.
  browser.runtime.onInstalled.addListener(async ({ reason }) => {
    if (reason !== 'install') return;
    if ((await missingHostAccess(await currentApiUrl())).length)
      await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
  });

  const ownOrigin = browser.runtime.getURL('/');
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void route(message, sender, browser.runtime.id, ownOrigin, handlers).then(sendResponse);
    return true; // answered asynchronously
  });
});
