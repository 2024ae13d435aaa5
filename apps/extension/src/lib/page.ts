import type { SitePage } from '@series/core';

/** The video site's host: profiles are `/@handle`, videos `/@handle/video/<numeric id>`. */
export const SITE_HOST = 'www.tiktok.com';

// The same rules as `handleSchema` in @series/core, without pulling zod into the content script.
const HANDLE = /^[a-z0-9_.]{2,24}$/;
const VIDEO_ID = /^[0-9]{1,25}$/;

function handleOf(segment: string | undefined): string | null {
  if (!segment?.startsWith('@')) return null;
  let handle: string;
  try {
    handle = decodeURIComponent(segment.slice(1)).toLowerCase();
  } catch {
    return null;
  }
  return HANDLE.test(handle) && !handle.endsWith('.') ? handle : null;
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
  if (parts.length === 3 && parts[1] === 'video' && VIDEO_ID.test(parts[2]!)) {
    return { kind: 'video', handle, videoId: parts[2]! };
  }
  return null;
}

/** A stable key for a page: overlays of different keys never share data. */
export const pageKey = (page: SitePage) => (page.kind === 'profile' ? `profile:${page.handle}` : `video:${page.videoId}`);
