// Shared by the episodes test files.
import { expect } from 'vitest';
import { addEpisode, mineOne } from './helpers';

/** Episode titles of a series in their numbered order, checking the numbers are dense 1..n. */
export async function order(token: string, seriesId: string): Promise<string[]> {
  const episodes = (await mineOne(token, seriesId)).episodes as { number: number; title: string }[];
  expect(episodes.map((e) => e.number)).toEqual(episodes.map((_, i) => i + 1));
  return episodes.map((e) => e.title);
}

export async function fill(token: string, seriesId: string, count: number) {
  for (let i = 0; i < count; i++) await addEpisode(token, seriesId, { title: `Episode ${i + 1}` });
}

export const json = { 'Content-Type': 'application/json' };
export const MISSING_EPISODE = 'ep_0000000000000000AAAA';
export const MISSING_SERIES = 'ser_0000000000000000AAAA';
export const valid = { title: 'Pilot', durationSeconds: 600, price: 199 };

let videoCounter = 0;
/** A numeric video id no other test uses. */
export const videoId = () =>
  `${Date.now()}${String(++videoCounter).padStart(4, '0')}${Math.floor(Math.random() * 1e4)}`;
