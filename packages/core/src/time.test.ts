import { describe, expect, it } from 'vitest';
import { formatDuration, utcDay } from './time.js';

describe('utcDay', () => {
  it('is the UTC calendar day, whatever the local time zone', () => {
    expect(utcDay(Date.parse('2026-03-31T23:59:59.999Z'))).toBe('2026-03-31');
    expect(utcDay(Date.parse('2026-04-01T00:00:00Z'))).toBe('2026-04-01');
    expect(utcDay(Date.parse('2026-04-01T01:30:00+02:00'))).toBe('2026-03-31');
  });
});

describe('formatDuration', () => {
  it('writes durations as m:ss', () => {
    expect(formatDuration(95)).toBe('1:35');
    expect(formatDuration(1_200)).toBe('20:00');
    expect(formatDuration(9)).toBe('0:09');
  });
});
