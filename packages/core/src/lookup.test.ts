import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleLookupKey, LOOKUP_PREFIX_LENGTH, lookupHash, lookupPrefixSchema, prefixRange } from './lookup.js';

describe('lookupHash', () => {
  it('is lower-case hex SHA-256 (FIPS 180-2 test vector)', async () => {
    expect(await lookupHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches sha256sum for the keys the demo data uses (the seed script hashes with node:crypto)', async () => {
    expect(await lookupHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await lookupHash('seriesdemo')).toBe('911f468978a067c340f236932743cf8fe304b62e3ba6478e445e2a5c2cae722c');
    expect(await lookupHash('7300000000000000002')).toBe(
      '10439d7fee66516c6d7e0d87983ed22112acae90262a41498d3a87ade0522364',
    );
  });

  it('is 64 hex characters for any key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (key) => {
        expect(await lookupHash(key)).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 50 },
    );
  });
});

describe('handleLookupKey', () => {
  it('lower-cases and drops the @, as handles are stored', () => {
    expect(handleLookupKey('@SeriesDemo')).toBe('seriesdemo');
    expect(handleLookupKey(' some.Name_1 ')).toBe('some.name_1');
  });
});

describe('lookupPrefixSchema', () => {
  it('accepts 4-5 lower-case hex characters', () => {
    for (const ok of ['0000', 'abcd', 'f00ba', '12345']) expect(lookupPrefixSchema.safeParse(ok).success).toBe(true);
  });

  it('refuses anything that could narrow a lookup to one key or widen it to everything', () => {
    for (const bad of ['', 'abc', 'abcdef', 'ABCD', 'abcg', 'ab d', 'ab%', '../a', 'a'.repeat(64)]) {
      expect(lookupPrefixSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('matches the prefix length clients send', () => {
    expect(lookupPrefixSchema.safeParse('a'.repeat(LOOKUP_PREFIX_LENGTH)).success).toBe(true);
  });
});

describe('prefixRange', () => {
  it('contains exactly the hex strings starting with the prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{4}$/), fc.stringMatching(/^[0-9a-f]{64}$/), (prefix, hash) => {
        const [low, high] = prefixRange(prefix);
        expect(hash >= low && hash < high).toBe(hash.startsWith(prefix));
      }),
    );
  });
});
