import { sign } from '../lib/signing.js';

const PURPOSE = 'view-mark';

/**
 * What marks a view as counted: HMAC-SHA256 (keyed by SIGNING_SECRET, purpose-separated from every other
 * signature) of the client's address, the UTC day and what was seen, cut to 128 bits. Without the secret a
 * mark says nothing about the address, and the same address gets unrelated marks on other days and items,
 * so the stored marks cannot follow anyone from one day or page to the next.
 */
export async function viewMark(secret: string, address: string, day: string, item: string): Promise<string> {
  return (await sign(secret, PURPOSE, `${day}\n${address}\n${item}`)).slice(0, 22);
}

/** The item of an unlock button shown (one episode) and of a storefront page (a creator's, or a series'). */
export const episodeItem = (episodeId: string) => `episode:${episodeId}`;
export const pageItem = (handle: string, seriesId: string | null) => `page:${handle}:${seriesId ?? ''}`;
