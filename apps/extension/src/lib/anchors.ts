import type { SitePage } from './protocol';

/**
 * Where overlays go on the video site's pages. Only `data-e2e` attributes, which the site keeps stable for its
 * own end-to-end tests; its generated class names change with every release. The first match wins.
 */
export const ANCHORS: Record<SitePage['kind'], string[]> = {
  // Under the bio, else under the names.
  profile: ['[data-e2e="user-bio"]', '[data-e2e="user-subtitle"]', '[data-e2e="user-title"]'],
  // Under the video's caption, else under the author line.
  video: ['[data-e2e="browse-video-desc"]', '[data-e2e="video-desc"]', '[data-e2e="browse-username"]', '[data-e2e="video-author-uniqueid"]'],
};

/** Elements that show whose page the DOM currently renders. */
const IDENTITY: Record<SitePage['kind'], string[]> = {
  profile: ['[data-e2e="user-title"]'],
  video: ['[data-e2e="browse-username"]', '[data-e2e="video-author-uniqueid"]'],
};

/**
 * The handle the page's DOM shows, lower-cased, or null when it shows none. Right after an in-app navigation
 * the URL already names the new page while the DOM may still show the old one.
 */
export function readShownHandle(kind: SitePage['kind'], win: Window = window): string | null {
  for (const selector of IDENTITY[kind]) {
    const text = win.document.querySelector(selector)?.textContent ?? '';
    const handle = text.trim().replace(/^@/, '').split(/\s/)[0]?.toLowerCase();
    if (handle) return handle;
  }
  return null;
}

/**
 * The element to put the overlay after, or null (then the overlay floats). Null too while the DOM still shows
 * another handle's page, so an overlay is never anchored into the previous page.
 */
export function findAnchor(page: SitePage, win: Window = window): Element | null {
  const shown = readShownHandle(page.kind, win);
  if (shown !== null && shown !== page.handle) return null;
  for (const selector of ANCHORS[page.kind]) {
    const element = win.document.querySelector(selector);
    if (element) return element;
  }
  return null;
}
