import { interpolate } from '@series/core/i18n/interpolate';
import type { ClientData } from '../page-data.js';

/** What the server put in the page (see page-data.ts): the script never guesses what the page shows. */
export const data: ClientData = JSON.parse(document.getElementById('sf-data')?.textContent ?? '{}');

/** A message of the page's language (the server sends the `client.*` keys). */
export const t = (key: string, vars?: Record<string, string | number>) =>
  interpolate(data.messages?.[key] ?? key, vars);

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
