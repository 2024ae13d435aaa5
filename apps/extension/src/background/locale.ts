import { negotiateLocale, pick, type Locale } from '@series/core';
import { browser } from 'wxt/browser';
import type { UiInfo } from '../lib/protocol';
import { localeItem } from '../lib/storage';
import { TEXT_PREFIXES } from '../lib/texts';

/**
 * The browser's language, as one of ours: its preferred languages first (what it sends as Accept-Language, as
 * the storefront reads them), then its own UI language; English when neither is French.
 */
export const browserLocale = (): Locale =>
  negotiateLocale([...(globalThis.navigator?.languages ?? []), browser.i18n.getUILanguage()].join(','));

/** The language in force: the popup's choice, else the browser's. `browser.i18n` alone could only follow the browser. */
export async function currentLocale(): Promise<Locale> {
  return (await localeItem.getValue()) ?? browserLocale();
}

/** The language in force and its extension messages (a few KB of plain strings, never the catalogues' code). */
export async function uiInfo(): Promise<UiInfo> {
  const choice = await localeItem.getValue();
  const locale = choice ?? browserLocale();
  return {
    locale,
    choice,
    browserLocale: browserLocale(),
    messages: pick(locale, [...TEXT_PREFIXES]) as Record<string, string>,
  };
}

export async function setLocale(choice: Locale | null): Promise<UiInfo> {
  await localeItem.setValue(choice);
  return uiInfo();
}
