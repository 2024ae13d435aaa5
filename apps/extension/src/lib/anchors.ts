// Zod-free: the content script reads pages with this. The served document is validated in the background.
import type { AnchorReader, AnchorSet } from '@series/core';
import { isHandle, videoIdInUrl } from '@series/core/site';
import { handleOfSegment, SITE_HOST } from './page';
import type { SitePage } from './protocol';

/**
 * The anchors this build ships with, used whole when the server has none (or serves one this build cannot
 * read), and selector by selector behind a served set. Only `data-e2e` attributes, roles, ids and links,
 * which the site keeps for its own tests and routing; never its generated class names.
 */
export const BUILT_IN_ANCHORS: AnchorSet = {
  format: 1,
  pages: { feed: ['/', '/foryou', '/en', '/following', '/friends', '/explore'], search: ['/search/*'] },
  profile: {
    // Current builds disagree on which of the two shows the handle and which the display name.
    identity: [{ selector: '[data-e2e="user-title"]' }, { selector: '[data-e2e="user-subtitle"]' }],
    // Under the bio, else under the names.
    anchors: ['[data-e2e="user-bio"]', '[data-e2e="user-subtitle"]', '[data-e2e="user-title"]'],
  },
  video: {
    // A video opened from a feed, a profile or search shows in a dialog over the page it came from.
    scope: ['[role="dialog"]:has([data-e2e="browse-username"])', '[role="dialog"]:has([data-e2e="browse-video-desc"])'],
    identity: [
      { selector: 'a[data-e2e="browse-username"]', attribute: 'href' },
      { selector: 'a[data-e2e="browse-user-avatar"]', attribute: 'href' },
      { selector: '[data-e2e="browse-username"]' },
      { selector: '[data-e2e="video-author-uniqueid"]' },
    ],
    // Under the video's caption, else under the author line.
    anchors: [
      '[data-e2e="browse-video-desc"]',
      '[data-e2e="video-desc"]',
      '[data-e2e="browse-username"]',
      '[data-e2e="video-author-uniqueid"]',
    ],
  },
  feed: {
    items: ['article[data-e2e="recommend-list-item-container"]', 'article[id^="one-column-item-"]'],
    author: [
      { selector: 'a[data-e2e="video-author-avatar"]', attribute: 'href' },
      { selector: 'a[href*="/video/"]', attribute: 'href' },
      // Not the @mentions in the caption.
      { selector: 'a[href^="/@"]:not([data-e2e="video-desc"] a)', attribute: 'href' },
      { selector: '[data-e2e="video-author-uniqueid"]' },
    ],
    video: [
      { selector: '[id^="xgwrapper-"]', attribute: 'id' },
      { selector: 'a[href*="/video/"]', attribute: 'href' },
    ],
    anchors: ['[data-e2e="video-desc"]', '[data-e2e="video-music"]'],
  },
  search: {
    items: ['[data-e2e="search_top-item"]', '[data-e2e="search_video-item"]'],
    author: [
      { selector: 'a[href*="/video/"]', attribute: 'href' },
      { selector: '[data-e2e="search-card-user-unique-id"]' },
    ],
    video: [{ selector: 'a[href*="/video/"]', attribute: 'href' }],
    anchors: [
      '[data-e2e="search-card-video-caption"]',
      '[data-e2e="search-card-desc"]',
      '[data-e2e="search-card-user-unique-id"]',
    ],
  },
};

/** Whether this browser parses a selector (`querySelector` throws a SyntaxError otherwise). */
export function parses(selector: string, doc: Document = document): boolean {
  try {
    doc.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

const unique = <T>(items: T[], key: (item: T) => string) => {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && !!seen.add(key(item)));
};

/**
 * The anchors in force: each of the served set's lists, without the selectors this browser cannot parse,
 * followed by the built-in list, so a served selector that matches nothing falls through to ours (every
 * lookup takes the first selector that matches). Page paths are the union of both.
 */
export function effectiveAnchors(
  served: AnchorSet | null,
  doc: Document = document,
  builtIn: AnchorSet = BUILT_IN_ANCHORS,
): AnchorSet {
  if (!served) return builtIn;
  const selectors = (a: string[], b: string[]) => unique([...a.filter((s) => parses(s, doc)), ...b], (s) => s);
  const readers = (a: AnchorReader[], b: AnchorReader[]) =>
    unique([...a.filter((r) => parses(r.selector, doc)), ...b], (r) => `${r.selector}\u0000${r.attribute ?? ''}`);
  const items = (a: AnchorSet['feed'], b: AnchorSet['feed']) => ({
    items: selectors(a.items, b.items),
    author: readers(a.author, b.author),
    video: readers(a.video, b.video),
    anchors: selectors(a.anchors, b.anchors),
  });
  return {
    format: builtIn.format,
    pages: {
      feed: unique([...served.pages.feed, ...builtIn.pages.feed], (p) => p),
      search: unique([...served.pages.search, ...builtIn.pages.search], (p) => p),
    },
    profile: {
      identity: readers(served.profile.identity, builtIn.profile.identity),
      anchors: selectors(served.profile.anchors, builtIn.profile.anchors),
    },
    video: {
      scope: selectors(served.video.scope, builtIn.video.scope),
      identity: readers(served.video.identity, builtIn.video.identity),
      anchors: selectors(served.video.anchors, builtIn.video.anchors),
    },
    feed: items(served.feed, builtIn.feed),
    search: items(served.search, builtIn.search),
  };
}

function query(root: ParentNode, selector: string): Element | null {
  try {
    return root.querySelector(selector);
  } catch {
    return null; // a built-in list is never unparseable, but a test or another browser may disagree
  }
}

/** The first element matching one of `selectors`, in their order. */
export function firstMatch(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const element = query(root, selector);
    if (element) return element;
  }
  return null;
}

/** Every element matching the first of `selectors` that matches anything (a list never mixes two). */
export function allOfFirstMatch(root: ParentNode, selectors: readonly string[]): Element[] {
  for (const selector of selectors) {
    try {
      const found = root.querySelectorAll(selector);
      if (found.length) return Array.from(found);
    } catch {
      // skip a selector this browser cannot parse
    }
  }
  return [];
}

/** The handle in a `/@handle…` path or site URL, or in text such as `@SeriesDemo`; null when there is none. */
export function handleIn(value: string): string | null {
  const text = value.trim();
  if (text.startsWith('/') || /^https?:/i.test(text)) {
    let url: URL;
    try {
      url = new URL(text, `https://${SITE_HOST}`);
    } catch {
      return null;
    }
    if (url.hostname !== SITE_HOST) return null;
    return handleOfSegment(url.pathname.split('/')[1]);
  }
  const handle = text.replace(/^@/, '').toLowerCase();
  return isHandle(handle) ? handle : null;
}

/** The video id in a `/video/<id>` link or at the end of an element id (`xgwrapper-0-<id>`); null when none. */
export function videoIdIn(value: string): string | null {
  return videoIdInUrl(value) ?? /(?:^|[^0-9])([0-9]{8,25})$/.exec(value.trim())?.[1] ?? null;
}

function* values(root: ParentNode, readers: readonly AnchorReader[]): Generator<string> {
  for (const reader of readers) {
    const element = query(root, reader.selector);
    const value = element && (reader.attribute ? element.getAttribute(reader.attribute) : element.textContent);
    if (value) yield value;
  }
}

/** The first handle the readers find under `root`. */
export function readHandle(root: ParentNode, readers: readonly AnchorReader[]): string | null {
  for (const value of values(root, readers)) {
    const handle = handleIn(value);
    if (handle) return handle;
  }
  return null;
}

/** The first video id the readers find under `root`. */
export function readVideoId(root: ParentNode, readers: readonly AnchorReader[]): string | null {
  for (const value of values(root, readers)) {
    const id = videoIdIn(value);
    if (id) return id;
  }
  return null;
}

/**
 * Whether the DOM under `root` shows `handle`'s page: true when any reader finds it, false when they find
 * only other handles (the previous page is still on screen), null when they find none. Any reader, not the
 * first: where one element may hold the display name, another holds the handle.
 */
export function showsHandle(root: ParentNode, readers: readonly AnchorReader[], handle: string): boolean | null {
  let others = false;
  for (const value of values(root, readers)) {
    const found = handleIn(value);
    if (found === handle) return true;
    if (found) others = true;
  }
  return others ? false : null;
}

/** Where a page's overlay reads and anchors: the whole document, or the video dialog over it. */
function scopeOf(page: SitePage, anchors: AnchorSet, doc: Document): ParentNode {
  return page.kind === 'video' ? (firstMatch(doc, anchors.video.scope) ?? doc) : doc;
}

/**
 * The element to put the overlay after, or null (then the overlay floats). Null too while the DOM still shows
 * another handle's page, so an overlay is never anchored into the previous page.
 */
export function findAnchor(
  page: SitePage,
  anchors: AnchorSet = BUILT_IN_ANCHORS,
  doc: Document = document,
): Element | null {
  const root = scopeOf(page, anchors, doc);
  const kind = page.kind === 'profile' ? anchors.profile : anchors.video;
  if (showsHandle(root, kind.identity, page.handle) === false) return null;
  return firstMatch(root, kind.anchors);
}

/** A feed item's or search card's author and video; null while it names no author (still loading, an ad). */
export interface ItemIdentity {
  handle: string;
  videoId: string | null;
}

export function readItem(item: Element, list: AnchorSet['feed']): ItemIdentity | null {
  const handle = readHandle(item, list.author);
  return handle ? { handle, videoId: readVideoId(item, list.video) } : null;
}

/** Two reads of an item show the same thing exactly when their keys are equal. */
export const itemKey = (identity: ItemIdentity | null) =>
  identity ? `${identity.handle}/${identity.videoId ?? ''}` : '';
