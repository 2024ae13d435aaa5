import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { hostPatterns, missingHostAccess, patternHost } from './host-access';

describe('host access', () => {
  afterEach(() => vi.restoreAllMocks());

  it('needs the video site and the API host, on any port', () => {
    expect(hostPatterns('http://127.0.0.1:8787')).toEqual(['https://www.tiktok.com/*', 'http://127.0.0.1/*']);
    expect(hostPatterns('https://api.example.com/series')).toEqual([
      'https://www.tiktok.com/*',
      'https://api.example.com/*',
    ]);
    expect(patternHost('https://www.tiktok.com/*')).toBe('www.tiktok.com');
  });

  it('lists what the browser has not granted (Firefox may grant nothing at install)', async () => {
    const granted = new Set(['http://127.0.0.1/*']);
    fakeBrowser.permissions.contains = vi.fn(async ({ origins }: { origins?: string[] }) =>
      (origins ?? []).every((o) => granted.has(o)),
    ) as typeof fakeBrowser.permissions.contains;
    expect(await missingHostAccess('http://127.0.0.1:8787')).toEqual(['https://www.tiktok.com/*']);
    granted.add('https://www.tiktok.com/*');
    expect(await missingHostAccess('http://127.0.0.1:8787')).toEqual([]);
    // A browser that cannot answer counts as not granted: the popup offers the request.
    fakeBrowser.permissions.contains = vi.fn(async () => {
      throw new Error('no');
    }) as typeof fakeBrowser.permissions.contains;
    expect(await missingHostAccess('https://api.example.com')).toEqual([
      'https://www.tiktok.com/*',
      'https://api.example.com/*',
    ]);
  });
});
