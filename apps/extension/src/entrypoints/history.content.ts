import { HISTORY_EVENT } from '../lib/navigation';

/**
 * Runs in the page's own JavaScript world, before the site's scripts: wraps history.pushState/replaceState so
 * the isolated content script hears of in-app navigations at once (an event on `window`, which both worlds
 * share) instead of polling the location. It passes nothing else across.
 */
export default defineContentScript({
  matches: ['https://www.tiktok.com/*'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    for (const name of ['pushState', 'replaceState'] as const) {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        window.dispatchEvent(new Event(HISTORY_EVENT));
        return result;
      };
    }
  },
});
