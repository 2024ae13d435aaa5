// Shared by the series test files.
import { expect } from 'vitest';
import { call } from './helpers';

export async function creatorId(token: string): Promise<string> {
  const me = await call('GET', '/v1/me', { token });
  expect(me.status).toBe(200);
  return me.json.creator.id;
}

export const json = { 'Content-Type': 'application/json' };
export const MISSING_SERIES = 'ser_0000000000000000AAAA';
