import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleSchema, videoIdSchema } from './schemas.js';
import { isHandle, VIDEO_ID_PATTERN, videoIdInUrl } from './site.js';

describe('isHandle', () => {
  it('accepts exactly the stored handles handleSchema accepts (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[a-z0-9_.]{0,26}$/), fc.string({ maxLength: 26 })), (s) => {
        expect(isHandle(s)).toBe(handleSchema.safeParse(s).success && handleSchema.parse(s) === s);
      }),
    );
  });

  it('refuses a trailing period, one character, and upper case or `@` (callers normalise first)', () => {
    expect(isHandle('series.demo_1')).toBe(true);
    for (const bad of ['ends.', 'a', 'SeriesDemo', '@seriesdemo', 'has space', 'x'.repeat(25)])
      expect(isHandle(bad), bad).toBe(false);
  });
});

describe('video ids', () => {
  it('are 1..25 decimal digits, the same for the pattern and the schema', () => {
    for (const id of ['1', '7300000000000000002', '9'.repeat(25)])
      expect(VIDEO_ID_PATTERN.test(id) && videoIdSchema.safeParse(id).success, id).toBe(true);
    for (const id of ['', '12ab', '9'.repeat(26), ' 1', '-1'])
      expect(VIDEO_ID_PATTERN.test(id) || videoIdSchema.safeParse(id).success, id).toBe(false);
  });

  it('are found in a pasted video address', () => {
    expect(videoIdInUrl('https://www.tiktok.com/@seriesdemo/video/7300000000000000002?is_from_webapp=1')).toBe(
      '7300000000000000002',
    );
    expect(videoIdInUrl('www.tiktok.com/@a/video/987654321')).toBe('987654321');
    for (const text of [
      '7300000000000000002',
      'https://www.tiktok.com/@seriesdemo',
      'https://www.tiktok.com/@a/video/',
      `https://www.tiktok.com/@a/video/${'9'.repeat(26)}`,
    ]) {
      expect(videoIdInUrl(text), text).toBeNull();
    }
  });
});
