import { utcDay } from '@series/core';

/** Analytics speak in UTC calendar days (`YYYY-MM-DD`), inclusive at both ends. */

export type Preset = '7d' | '30d' | '90d' | 'all';

export const PRESETS: { id: Preset; label: string; days: number | null }[] = [
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: 'all', label: 'All time', days: null },
];

export function addDays(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
}

/** The range a preset covers, ending today: "7 days" is today and the 6 days before. */
export function presetRange(preset: Preset, today = utcDay(Date.now())): { from: string | null; to: string } {
  const days = PRESETS.find((p) => p.id === preset)?.days ?? null;
  return { from: days === null ? null : addDays(today, -(days - 1)), to: today };
}

/** Every day from `from` to `to`, inclusive (empty when `from` is after `to`). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}
