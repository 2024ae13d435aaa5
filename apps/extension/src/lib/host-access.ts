import { browser } from 'wxt/browser';

/** The video site, where the content scripts run. */
export const SITE_PATTERN = 'https://www.tiktok.com/*';

/**
 * The match patterns Series needs granted: the video site and the API in use. A pattern covers every port
 * (Firefox's match patterns cannot name one), so the local worker matches `http://127.0.0.1/*` on any port.
 */
export function hostPatterns(apiUrl: string): string[] {
  const api = new URL(apiUrl);
  return [SITE_PATTERN, `${api.protocol}//${api.hostname}/*`];
}

/**
 * The patterns not granted now. Chrome grants a manifest's host permissions at install; Firefox may not (on
 * Android, or when the viewer turned them off in the add-on's permissions), and without them the content
 * scripts do not run on the site and the API cannot be reached.
 */
export async function missingHostAccess(apiUrl: string): Promise<string[]> {
  const patterns = hostPatterns(apiUrl);
  const granted = await Promise.all(
    patterns.map((origin) => browser.permissions.contains({ origins: [origin] }).catch(() => false)),
  );
  return patterns.filter((_, i) => !granted[i]);
}

/** `https://www.tiktok.com/*` → `www.tiktok.com`, as people read a site's name. */
export const patternHost = (pattern: string) => pattern.replace(/^[a-z]+:\/\//, '').replace(/\/\*$/, '');
