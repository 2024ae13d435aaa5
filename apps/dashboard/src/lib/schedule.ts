import { userLocale } from './format.js';

/**
 * Release dates: shown and typed in the creator's own time zone (the browser's), stored in UTC by the API.
 */

/** The browser's time zone, e.g. "Europe/Paris", to say which clock a release time is on. */
export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a `datetime-local` value on the browser's clock ("2026-12-12T18:00"). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A `datetime-local` value (the browser's clock) as the UTC instant the API stores; null for an empty field,
 * undefined when it cannot be read.
 */
export function fromLocalInput(value: string): string | null | undefined {
  const v = value.trim();
  if (!v) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return undefined;
  return date.toISOString();
}

/**
 * When a scheduled episode comes out, on the creator's clock: "Fri 12 Dec, 18:00" (the year when it is not this
 * one's); null once released.
 */
export function releaseWhen(iso: string | null, now = Date.now(), locale = userLocale()): string | null {
  if (!iso || Date.parse(iso) <= now) return null;
  const parts = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const year = new Date(iso).getFullYear() !== new Date(now).getFullYear() ? ` ${new Date(iso).getFullYear()}` : '';
  return `${get('weekday')} ${get('day')} ${get('month')}${year}, ${get('hour')}:${get('minute')}`;
}

/**
 * "Out Fri 12 Dec, 18:00" in English (the dashboard says it with its `dashboard.release.out` text).
 * @example releaseLabel('2025-12-12T17:00:00Z', Date.parse('2025-12-01T00:00:00Z'), 'en-GB') // in Paris: "Out Fri 12 Dec, 18:00"
 */
export function releaseLabel(iso: string | null, now = Date.now(), locale = userLocale()): string | null {
  const when = releaseWhen(iso, now, locale);
  return when && `Out ${when}`;
}

/**
 * An episode title from a video's file name: the extension and separators go, the first letter is capitalised.
 * @example titleFromFileName('the_lighthouse-keeper ep2.mp4') // "The lighthouse keeper ep2"
 */
export function titleFromFileName(name: string): string {
  const base = name
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[_\-.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return base ? base[0]!.toLocaleUpperCase() + base.slice(1) : '';
}
