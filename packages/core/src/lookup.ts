import { z } from 'zod';

/**
 * Public lookups by hash prefix (k-anonymity, as SponsorBlock does): a client asks for everything whose key
 * hashes to the same first few hex characters and keeps only its own match, so the API never learns which
 * profile or video a viewer looked at. Keys: a handle lower-cased without `@`, or a numeric video id.
 */

/** How many hex characters clients send: 4 puts each lookup among 1/65,536 of all handles. */
export const LOOKUP_PREFIX_LENGTH = 4;

export const lookupPrefixSchema = z
  .string()
  .regex(/^[0-9a-f]{4,5}$/, 'Prefix must be 4-5 lower-case hex characters of a SHA-256 hash');

// WebCrypto and TextEncoder exist in workerd, browsers and Node alike; core compiles without DOM types.
interface WebCrypto {
  subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> };
}
interface Encoder {
  encode(input: string): Uint8Array;
}
const runtime = globalThis as unknown as { crypto: WebCrypto; TextEncoder: new () => Encoder };

/** The lookup key of a handle as typed or shown (`@Some.Name` → `some.name`). */
export const handleLookupKey = (handle: string) => handle.trim().replace(/^@/, '').toLowerCase();

/**
 * SHA-256 of a lookup key, lower-case hex.
 * @example await lookupHash('seriesdemo') // "…64 hex characters…"; its first 4 are the prefix to ask for
 */
export async function lookupHash(key: string): Promise<string> {
  const digest = await runtime.crypto.subtle.digest('SHA-256', new runtime.TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The half-open range of stored hashes starting with `prefix`: `[prefix, prefix + 'g')`, since 'g' sorts
 * after every hex digit. Lets SQL answer a prefix query from an ordinary index.
 */
export const prefixRange = (prefix: string): [string, string] => [prefix, `${prefix}g`];
