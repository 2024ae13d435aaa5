import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// Reads the builds made by test/build-setup.ts.
const out = (path: string) => new URL(`../.output/${path}`, import.meta.url);
const manifest = (target: string) => JSON.parse(readFileSync(out(`${target}/manifest.json`), 'utf8'));

describe('the built extension', () => {
  it('keeps the content script at most 25 KB gzipped (no zod, no API client in it)', () => {
    const code = readFileSync(out('chrome-mv3/content-scripts/content.js'));
    const gz = gzipSync(code, { level: 9 }).length;
    console.log(`content script: ${(code.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
    expect(gz).toBeLessThanOrEqual(25 * 1024);
    expect(code.toString()).not.toMatch(/ZodError|\/v1\/lookup/);
    // Nor the catalogues: the background sends the page only its language's extension.* messages.
    expect(code.toString()).not.toMatch(/Débloquez|Unlock episode —|Mysteries in five parts/);
  });

  it('asks only for storage and the hosts of the video site and the API (Chrome MV3)', () => {
    const m = manifest('chrome-mv3');
    expect(m.manifest_version).toBe(3);
    expect(m.permissions).toEqual(['storage']);
    expect(m.host_permissions).toEqual(['https://www.tiktok.com/*', 'http://127.0.0.1/*', 'http://localhost/*']);
    // Another API host is asked for at run time, only when the viewer sets one.
    expect(m.optional_host_permissions).toEqual(['https://*/*']);
    expect(m.web_accessible_resources ?? []).toEqual([]);
    const scripts = m.content_scripts as { matches: string[]; world?: string; run_at: string }[];
    expect(scripts.every((s) => s.matches.join() === 'https://www.tiktok.com/*')).toBe(true);
    expect(scripts.find((s) => s.world === 'MAIN')?.run_at).toBe('document_start');
    expect(m.background.service_worker).toBe('background.js');
  });

  it('names and describes itself in English and French (_locales made from the catalogues)', () => {
    for (const target of ['chrome-mv3', 'firefox-mv3']) {
      const m = manifest(target);
      expect(m.name).toBe('__MSG_extName__');
      expect(m.description).toBe('__MSG_extDescription__');
      expect(m.default_locale).toBe('en');
      const messages = (locale: string) =>
        JSON.parse(readFileSync(out(`${target}/_locales/${locale}/messages.json`), 'utf8'));
      expect(messages('en').extDescription.message).toMatch(/^Unlock and watch paid episode series/);
      expect(messages('fr').extDescription.message).toMatch(/^Débloquez et regardez/);
      // The stores' limit for a description.
      for (const locale of ['en', 'fr'])
        expect(messages(locale).extDescription.message.length).toBeLessThanOrEqual(132);
    }
  });

  it('builds for Firefox from the same source', () => {
    const m = manifest('firefox-mv3');
    expect(m.manifest_version).toBe(3);
    expect(m.browser_specific_settings.gecko.id).toBe('series@series.test');
    // The first versions with every key the manifest uses (data_collection_permissions: 140, Android 142).
    expect(m.browser_specific_settings.gecko.strict_min_version).toBe('140.0');
    expect(m.browser_specific_settings.gecko_android.strict_min_version).toBe('142.0');
    expect(m.permissions).toEqual(['storage']);
    expect(m.host_permissions).toEqual(['https://www.tiktok.com/*', 'http://127.0.0.1/*', 'http://localhost/*']);
    expect(m.background.scripts).toEqual(['background.js']);
    expect(statSync(out('firefox-mv3/content-scripts/content.js')).size).toBeGreaterThan(0);
    expect(statSync(out('firefox-mv3/player.html')).size).toBeGreaterThan(0);
  });
});
