// The zod-free entry: this runs in the content script, whose bundle must not carry the schemas.
import type { AnchorSet } from '@series/core';
import { isHandle, VIDEO_ID_PATTERN } from '@series/core/site';
import type { SitePage } from './protocol';

/** The video site's host: profiles are `/@handle`, videos `/@handle/video/<numeric id>`. */
export const SITE_HOST = 'www.tiktok.com';

/** The handle in a path segment such as `@SeriesDemo`, lower-cased, or null. */
export function handleOfSegment(segment: string | undefined): string | null {
  if (!segment?.startsWith('@')) return null;
  let handle: string;
  try {
    handle = decodeURIComponent(segment.slice(1)).toLowerCase();
  } catch {
    return null;
  }
  return isHandle(handle) ? handle : null;
}

function siteUrl(url: string): URL | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === 'https:' && parsed.hostname === SITE_HOST ? parsed : null;
}

/**
 * Which page of the video site a URL shows, or null for any other page (feed, search, photo posts, …).
 * @example parsePageUrl('https://www.tiktok.com/@SeriesDemo/video/7300000000000000002?lang=en')
 * // { kind: 'video', handle: 'seriesdemo', videoId: '7300000000000000002' }
 */
export function parsePageUrl(url: string): SitePage | null {
  const parsed = siteUrl(url);
  if (!parsed) return null;
  const parts = parsed.pathname.split('/').filter(Boolean);
  const handle = handleOfSegment(parts[0]);
  if (!handle) return null;
  if (parts.length === 1) return { kind: 'profile', handle };
  if (parts.length === 3 && parts[1] === 'video' && VIDEO_ID_PATTERN.test(parts[2]!)) {
    return { kind: 'video', handle, videoId: parts[2]! };
  }
  return null;
}

/** A stable key for a page: overlays of different keys never share data. */
export const pageKey = (page: SitePage) =>
  page.kind === 'profile' ? `profile:${page.handle}` : `video:${page.videoId}`;

/** What the content script does on a URL: a page overlay, the feed's buttons, search badges, or nothing. */
export type Route = { kind: 'page'; page: SitePage } | { kind: 'feed' } | { kind: 'search' } | { kind: 'none' };

/** Whether `path` is one of `patterns` (`/foryou`, or `/search/*` for `/search` and all below it). */
export function pathMatches(path: string, patterns: readonly string[]): boolean {
  const clean = path.toLowerCase().replace(/\/+$/, '') || '/';
  return patterns.some((pattern) => {
    if (!pattern.endsWith('/*')) return clean === (pattern.replace(/\/+$/, '') || '/');
    const base = pattern.slice(0, -2);
    return clean === base || clean.startsWith(`${base}/`);
  });
}

/**
 * Where a URL is: profiles and videos by the URL's shape (the handle in the URL is the identity we trust),
 * feeds and search by the anchors' page lists, which the server may update.
 * @example routeOf('https://www.tiktok.com/foryou', anchors) // { kind: 'feed' }
 */
export function routeOf(url: string, anchors: Pick<AnchorSet, 'pages'>): Route {
  const page = parsePageUrl(url);
  if (page) return { kind: 'page', page };
  const parsed = siteUrl(url);
  if (!parsed) return { kind: 'none' };
  if (pathMatches(parsed.pathname, anchors.pages.feed)) return { kind: 'feed' };
  if (pathMatches(parsed.pathname, anchors.pages.search)) return { kind: 'search' };
  return { kind: 'none' };
}
