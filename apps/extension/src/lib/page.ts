// The zod-free entry: this runs in the content script, whose bundle must not carry the schemas.
import { isHandle, VIDEO_ID_PATTERN } from '@series/core/site';
import type { SitePage } from './protocol';

/** The video site's host: profiles are `/@handle`, videos `/@handle/video/<numeric id>`. */
export const SITE_HOST = 'www.tiktok.com';

function handleOf(segment: string | undefined): string | null {
  if (!segment?.startsWith('@')) return null;
  let handle: string;
  try {
    handle = decodeURIComponent(segment.slice(1)).toLowerCase();
  } catch {
    return null;
  }
  return isHandle(handle) ? handle : null;
}

/**
 * Which page of the video site a URL shows, or null for any other page (feed, search, photo posts, …).
 * @example parsePageUrl('https://www.tiktok.com/@SeriesDemo/video/7300000000000000002?lang=en')
 * // { kind: 'video', handle: 'seriesdemo', videoId: '7300000000000000002' }
 */
export function parsePageUrl(url: string): SitePage | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname !== SITE_HOST) return null;
  const parts = parsed.pathname.split('/').filter(Boolean);
  const handle = handleOf(parts[0]);
  if (!handle) return null;
  if (parts.length === 1) return { kind: 'profile', handle };
  if (parts.length === 3 && parts[1] === 'video' && VIDEO_ID_PATTERN.test(parts[2]!)) {
    return { kind: 'video', handle, videoId: parts[2]! };
  }
  return null;
}

/** A stable key for a page: overlays of different keys never share data. */
export const pageKey = (page: SitePage) => (page.kind === 'profile' ? `profile:${page.handle}` : `video:${page.videoId}`);
