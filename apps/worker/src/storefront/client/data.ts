import { interpolate } from '@series/core/i18n/interpolate';

/** What the server put in the page (`#sf-data`, see layout.tsx): the script never guesses what the page shows. */
export interface PageData {
  locale: 'en' | 'fr';
  messages: Record<string, string>;
  page: 'creator' | 'series' | 'episode' | 'library' | 'receipt' | 'home' | 'notFound';
  handle?: string;
  seriesId?: string;
  episodeId?: string;
  episodes?: { id: string; number: number; title: string; free: boolean; released: boolean; releaseAt: string | null; href: string }[];
  onSale?: boolean;
}

export const data: PageData = JSON.parse(document.getElementById('sf-data')?.textContent ?? '{}');

/** A message of the page's language (the server sends the `client.*` keys). */
export const t = (key: string, vars?: Record<string, string | number>) => interpolate(data.messages?.[key] ?? key, vars);

export const $ = <E extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as E | null;

const status = () => $('sf-status');

/** The page's one live region: every outcome of buying and playing is said here. */
export function say(text: string, tone: 'info' | 'ok' | 'bad' = 'info') {
  const el = status();
  if (!el) return;
  el.textContent = text;
  el.className = `status${tone === 'info' ? '' : ` ${tone}`}`;
  el.hidden = false;
}

export const quiet = () => {
  const el = status();
  if (el) el.hidden = true;
};
