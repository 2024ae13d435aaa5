/** Dispatched on `window` by the main-world history hook after the page calls pushState / replaceState. */
export const HISTORY_EVENT = 'series:history';

/**
 * Calls `onChange(href)` as soon as the page's URL changes, without polling delays: the main-world hook's
 * event (history.pushState/replaceState), `popstate`, the Navigation API where the browser has it, and DOM
 * mutations (a single-page app re-renders when it navigates) as a backstop. Returns a stop function.
 */
export function watchNavigation(
  onChange: (href: string) => void,
  win: Window & typeof globalThis = window,
): () => void {
  let last = win.location.href;
  const check = () => {
    const href = win.location.href;
    if (href === last) return;
    last = href;
    onChange(href);
  };
  win.addEventListener(HISTORY_EVENT, check);
  win.addEventListener('popstate', check);
  win.addEventListener('hashchange', check);
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', check);
  const observer = new win.MutationObserver(check);
  observer.observe(win.document, { childList: true, subtree: true });
  return () => {
    win.removeEventListener(HISTORY_EVENT, check);
    win.removeEventListener('popstate', check);
    win.removeEventListener('hashchange', check);
    navigation?.removeEventListener('currententrychange', check);
    observer.disconnect();
  };
}
