import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { currentLocale, setLocale, uiInfo } from './locale';

describe('the UI language', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    fakeBrowser.reset();
  });

  const browserSpeaks = (languages: string[], ui = 'en-US') => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages);
    vi.spyOn(browser.i18n, 'getUILanguage').mockReturnValue(ui);
  };

  it('follows the browser until the viewer picks one in the popup', async () => {
    browserSpeaks(['fr-FR', 'fr', 'en']);
    expect(await currentLocale()).toBe('fr');
    const info = await uiInfo();
    expect(info).toMatchObject({ locale: 'fr', choice: null, browserLocale: 'fr' });
    expect(info.messages['extension.episode.watch']).toBe('Regarder');
    // Only the extension's messages travel (with the promo code texts it shares), not the rest of the storefront's.
    expect(Object.keys(info.messages).every((k) => /^(extension|promo|client\.promo)\./.test(k))).toBe(true);
    expect(info.messages['client.promo.promo_code_expired']).toBe('Ce code promo a expiré.');
    expect(info.messages['client.auth.email']).toBeUndefined();

    expect(await setLocale('en')).toMatchObject({ locale: 'en', choice: 'en', browserLocale: 'fr' });
    expect(await currentLocale()).toBe('en');
    expect((await uiInfo()).messages['extension.episode.watch']).toBe('Watch');
    expect(await setLocale(null)).toMatchObject({ locale: 'fr', choice: null });
  });

  it('reads the browser’s preferred languages in order, then its own UI language', async () => {
    browserSpeaks(['de-DE', 'fr-CH', 'en']);
    expect(await currentLocale()).toBe('fr');
    browserSpeaks(['de-DE'], 'fr');
    expect(await currentLocale()).toBe('fr');
    browserSpeaks(['de-DE', 'it'], 'de');
    expect(await currentLocale()).toBe('en');
  });
});
