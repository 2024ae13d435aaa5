import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSeriesSlug, MAX_SLUG_LENGTH, slugCandidates, slugify } from './slug.js';

describe('slugify', () => {
  it.each([
    ['The Lighthouse Keeper', 'the-lighthouse-keeper'],
    ['  L’Été à Paris — Part 2!  ', 'l-ete-a-paris-part-2'],
    ['Straße & Ærø', 'strasse-aero'],
    ['Мастер и Маргарита', 'master-i-margarita'],
    ['Ελληνικά', 'ellinika'],
    ['Crème brûlée 101', 'creme-brulee-101'],
    ['ÇA VA?', 'ca-va'],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('gives no slug for titles with nothing to write in ASCII', () => {
    expect(slugify('東京物語')).toBeNull();
    expect(slugify('🎬🎬')).toBeNull();
    expect(slugify('---')).toBeNull();
  });

  it('cuts long titles at a word boundary', () => {
    const slug = slugify('a very long title that keeps going and going well past the sixty character limit')!;
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toBe('a-very-long-title-that-keeps-going-and-going-well-past-the');
  });

  it('always yields a well-formed slug or null, whatever the title', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (title) => {
        const slug = slugify(title);
        if (slug !== null) {
          expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
          expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
          expect(isSeriesSlug(slug)).toBe(true);
        }
      }),
    );
  });
});

describe('slugCandidates', () => {
  it('tries the title, numbered variants, then the id', () => {
    const list = slugCandidates('Dawn', 'ser_0123456789abcdefABCD');
    expect(list.slice(0, 3)).toEqual(['dawn', 'dawn-2', 'dawn-3']);
    expect(list.at(-1)).toBe('ser_0123456789abcdefABCD');
    expect(new Set(list).size).toBe(list.length);
  });
  it('falls back to the id alone for a non-Latin title', () => {
    expect(slugCandidates('東京物語', 'ser_0123456789abcdefABCD')).toEqual(['ser_0123456789abcdefABCD']);
  });
  it('keeps numbered variants within the length limit', () => {
    const long = 'word '.repeat(40);
    for (const s of slugCandidates(long, 'ser_0123456789abcdefABCD').slice(0, -1))
      expect(s.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
  });
});

describe('isSeriesSlug', () => {
  it('accepts slugs and series ids, refuses anything else', () => {
    expect(isSeriesSlug('the-lighthouse-keeper')).toBe(true);
    expect(isSeriesSlug('ser_0123456789abcdefABCD')).toBe(true);
    for (const bad of ['', 'Upper', 'a--b', '-a', 'a-', 'a_b', '../x', 'a'.repeat(100), 'é'])
      expect(isSeriesSlug(bad)).toBe(false);
  });
});
