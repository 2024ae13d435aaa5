// The bio-code fallback (until TikTok's review of the app passes): a creator who cannot connect TikTok is given a
// one-time code to put in their TikTok bio; an admin who sees it there confirms it, and the handle is marked
// "verified by bio code".

/** Letters and digits that cannot be mistaken for one another when read off a profile (no 0/O, 1/I/L, U). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh code, SERIES- and 8 characters of the alphabet (about 39 bits, from the platform's CSPRNG). */
export function newBioCode(): string {
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 30).
  const limit = 256 - (256 % ALPHABET.length);
  while (out.length < 8) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < limit && out.length < 8) out.push(ALPHABET[byte % ALPHABET.length]!);
    }
  }
  return `SERIES-${out.join('')}`;
}
